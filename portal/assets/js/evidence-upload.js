// Checks a chosen file before it is sent (none chosen, empty, too large, a type not taken here), with the same
// messages the server gives, and says that the upload is under way. Without JavaScript the server checks alone.
(function () {
  'use strict'
  var form = document.querySelector('form[data-evidence-upload]')
  if (!form) return
  var input = form.querySelector('input[type="file"]')
  var status = form.querySelector('[data-upload-status]')
  var extensions = form.getAttribute('data-extensions').split(',')

  // A macro-enabled Office file (docm, xlsm, pptm) holds a VBA project, named in the ZIP's central directory at the
  // file's end, whatever the file itself is called. The server checks the same, with the same message.
  var MACROS = 'The selected file contains macros. Save it as a document without macros and upload that instead'
  var MACRO_EXTENSIONS = /\.(docm|dotm|xlsm|xltm|xlam|pptm|potm|ppsm|ppam)$/i

  function problem (file) {
    if (!file) return 'Select a file'
    if (file.size === 0) return 'The selected file is empty'
    if (file.size >= Number(form.getAttribute('data-max-bytes'))) {
      return 'The selected file must be smaller than ' + form.getAttribute('data-max-size-mb') + 'MB'
    }
    var name = file.name.toLowerCase()
    if (MACRO_EXTENSIONS.test(name)) return MACROS
    var known = extensions.some(function (extension) { return name.slice(-extension.length) === extension })
    if (!known) return 'The selected file must be a ' + form.getAttribute('data-types')
    return null
  }

  function showError (message) {
    var old = document.querySelector('.govuk-error-summary')
    if (old) old.remove()
    var summary = document.createElement('div')
    summary.className = 'govuk-error-summary'
    summary.setAttribute('tabindex', '-1')
    var body = '<div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2>' +
      '<div class="govuk-error-summary__body"><ul class="govuk-list govuk-error-summary__list">' +
      '<li><a href="#' + input.id + '"></a></li></ul></div></div>'
    summary.innerHTML = body
    summary.querySelector('a').textContent = message
    var group = input.closest('.govuk-form-group')
    group.classList.add('govuk-form-group--error')
    input.classList.add('govuk-file-upload--error')
    var error = document.getElementById(input.id + '-error')
    if (!error) {
      error = document.createElement('p')
      error.id = input.id + '-error'
      error.className = 'govuk-error-message'
      input.parentNode.insertBefore(error, input)
      input.setAttribute('aria-describedby', (input.getAttribute('aria-describedby') + ' ' + error.id).trim())
    }
    error.textContent = ''
    var hidden = document.createElement('span')
    hidden.className = 'govuk-visually-hidden'
    hidden.textContent = 'Error: '
    error.appendChild(hidden)
    error.appendChild(document.createTextNode(message))
    var column = document.querySelector('.govuk-grid-column-two-thirds')
    column.insertBefore(summary, column.firstChild)
    summary.focus()
  }


  function hasMacros (file) {
    if (!window.Blob || !Blob.prototype.arrayBuffer || !window.TextDecoder) return Promise.resolve(false)
    return file.slice(Math.max(0, file.size - 1024 * 1024)).arrayBuffer().then(function (buffer) {
      return new TextDecoder('latin1').decode(buffer).toLowerCase().indexOf('vbaproject.bin') !== -1
    }, function () { return false })
  }

  var checked = false
  form.addEventListener('submit', function (event) {
    if (checked) return
    var message = problem(input.files[0])
    if (message) {
      event.preventDefault()
      showError(message)
      return
    }
    event.preventDefault()
    hasMacros(input.files[0]).then(function (macros) {
      if (macros) {
        showError(MACROS)
        return
      }
      checked = true
      upload()
    })
  })

  function upload () {
    // The browser shows the upload's progress itself; this says, in words a screen reader reads out, what is happening.
    status.innerHTML = '<progress aria-label="Uploading"></progress> '
    var words = document.createElement('span')
    words.className = 'govuk-body'
    words.textContent = 'Uploading ' + input.files[0].name + '. This can take a minute for a large file.'
    status.appendChild(words)
    HTMLFormElement.prototype.submit.call(form)
  }
})()

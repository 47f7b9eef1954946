// Moves focus to the error summary when a form comes back with errors, so screen reader users
// hear it first; the links in it then move focus to the field each error is about.
(function () {
  'use strict'
  var summary = document.querySelector('.govuk-error-summary')
  if (!summary) return
  summary.setAttribute('tabindex', '-1')
  summary.focus()
  summary.addEventListener('click', function (event) {
    var target = event.target.closest('a[href^="#"]')
    if (!target) return
    var field = document.getElementById(target.getAttribute('href').slice(1))
    if (!field) return
    event.preventDefault()
    var legend = field.closest('fieldset') && field.closest('fieldset').querySelector('legend')
    var label = legend || document.querySelector('label[for="' + field.id + '"]') || field
    label.scrollIntoView()
    field.focus({ preventScroll: true })
  })
})()

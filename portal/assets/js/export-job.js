// Progressive enhancement for the evidence ZIP's page: without JavaScript the officer follows "Check again";
// with it, the page asks every few seconds how the job is going, and shows the new page once it is ready or failed.
(function () {
  'use strict'
  var job = document.querySelector('[data-module="app-export-job"][data-state="preparing"]')
  if (!job || !window.fetch) return
  var every = 3000
  var tries = 20 * 60 * 1000 / every // the page says a job has failed after 20 minutes anyway

  function check () {
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.ok ? response.text() : '' })
      .then(function (html) {
        if (html && html.indexOf('data-state="preparing"') === -1) {
          window.location.reload()
        } else if (--tries > 0) {
          window.setTimeout(check, every)
        }
      })
      .catch(function () { if (--tries > 0) window.setTimeout(check, every) })
  }
  window.setTimeout(check, every)
})()

// Progressive enhancement for the evidence ZIP's page: without JavaScript the officer follows "Check again";
// with it, the page asks how the job is going, and shows the new page once it is ready or failed. It asks every
// 3 seconds at first and less often as time goes on (at most every 30), so a tab left open costs few requests.
(function () {
  'use strict'
  var job = document.querySelector('[data-module="app-export-job"][data-state="preparing"]')
  if (!job || !window.fetch) return
  var wait = 3000
  var stopAt = Date.now() + 21 * 60 * 1000 // the page says a job has failed after 20 minutes anyway

  function again () {
    if (Date.now() >= stopAt) return
    window.setTimeout(check, wait)
    wait = Math.min(wait * 1.5, 30000)
  }

  function check () {
    fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' })
      .then(function (response) { return response.ok ? response.text() : '' })
      .then(function (html) {
        if (html && html.indexOf('data-state="preparing"') === -1) {
          window.location.reload()
        } else {
          again()
        }
      })
      .catch(again)
  }
  again()
})()

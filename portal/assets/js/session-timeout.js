// Progressive enhancement for every signed-in council page: two minutes before the session ends, say so (role=alert),
// and make "Stay signed in" work without leaving the page, so that a half-typed review is not lost. Without
// JavaScript the page already says when the session ends, the button posts and comes back, and a review posted
// too late is kept on the server and put back after signing in again.
(function () {
  'use strict'
  var notice = document.querySelector('[data-module="app-session-timeout"]')
  if (!notice || !window.fetch || !window.DOMParser) return
  var warning = notice.querySelector('[data-session-warning]')
  var form = notice.querySelector('[data-stay-signed-in]')
  var ends = notice.querySelector('[data-session-ends]')
  var WARN_BEFORE = 120 // seconds
  var timer

  function schedule (secondsLeft) {
    window.clearTimeout(timer)
    timer = window.setTimeout(warn, Math.max(secondsLeft - WARN_BEFORE, 0) * 1000)
  }

  function warn () {
    if (warning) warning.hidden = false // its words come from the page, in the council's content
  }

  if (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault()
      fetch(form.action, { method: 'POST', body: new FormData(form), credentials: 'same-origin' })
        .then(function (response) { return response.ok ? response.text() : '' })
        .then(function (html) {
          var fresh = new DOMParser().parseFromString(html, 'text/html').querySelector('[data-module="app-session-timeout"]')
          if (!fresh) { form.submit(); return } // signed out meanwhile: let the page say so
          var freshEnds = fresh.querySelector('[data-session-ends]')
          var freshWarning = fresh.querySelector('[data-session-warning]')
          if (ends && freshEnds) ends.textContent = freshEnds.textContent
          if (warning && freshWarning) warning.textContent = freshWarning.textContent
          if (warning) warning.hidden = true
          schedule(parseInt(fresh.getAttribute('data-seconds-left'), 10) || 0)
        })
        .catch(function () { form.submit() })
    })
  }
  schedule(parseInt(notice.getAttribute('data-seconds-left'), 10) || 0)
})()

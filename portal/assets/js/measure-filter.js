// Progressive enhancement for the measures page: without JavaScript, readers use the
// per-priority pages linked above the list; with it, a filter shows one priority in place.
(function () {
  'use strict'
  var filter = document.querySelector('[data-module="app-measure-filter"]')
  if (!filter) return
  var groups = document.querySelectorAll('.app-measure-group')
  var status = document.getElementById('measure-filter-status')

  function apply (priority) {
    var shown = 0
    groups.forEach(function (group) {
      var match = priority === 'all' || group.getAttribute('data-priority') === priority
      group.hidden = !match
      if (match) shown += group.querySelectorAll('li').length
    })
    status.textContent = 'Showing ' + shown + ' measure' + (shown === 1 ? '' : 's')
  }

  filter.addEventListener('change', function (event) {
    if (event.target.name === 'priority') apply(event.target.value)
  })
  filter.hidden = false
})()

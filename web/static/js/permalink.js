// The incident page's permalink: the absolute URL in a read-only field,
// selected whole on focus, and a Copy button (shown only when this script
// runs) that copies it and says so.
(function () {
  'use strict';

  var field = document.getElementById('permalink');
  var button = document.getElementById('permalink-copy');
  var status = document.getElementById('permalink-status');
  if (!field || !button || !status) { return; }

  field.addEventListener('focus', function () { field.select(); });
  button.hidden = false;
  button.addEventListener('click', function () {
    function done(ok) {
      status.textContent = ok ? button.dataset.copied : button.dataset.copyFailed;
      if (!ok) { field.focus(); field.select(); }
    }
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(field.value).then(function () { done(true); }, function () { done(false); });
    } else {
      done(false);
    }
  });
}());

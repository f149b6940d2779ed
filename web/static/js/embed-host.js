// strikemap's host snippet: a page that embeds a map with height=auto loads
// this one script, which sets each such iframe to the height the map asks
// for. It listens only to strikemap's own origin (the one it was loaded
// from), only to the iframe that sent the message, and only to a message
// of the expected shape: {type: "strikemap:height", height: N}.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || window.__strikemapHost) { return; }
  window.__strikemapHost = true;
  var origin = new URL(script.src, location.href).origin;
  window.addEventListener('message', function (e) {
    if (e.origin !== origin) { return; }
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'strikemap:height') { return; }
    var h = d.height;
    if (typeof h !== 'number' || !isFinite(h) || h < 50 || h > 10000) { return; }
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      var f = frames[i];
      if (f.contentWindow === e.source && f.getAttribute('data-strikemap-height') === 'auto') {
        f.style.height = Math.ceil(h) + 'px';
      }
    }
  });
})();

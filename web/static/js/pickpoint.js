// The editing forms' small map (incidents and bases): the offline basemap
// and the bases; a click places the point and fills the latitude and
// longitude fields, typed coordinates move it, and the target-base list is
// re-ordered nearest first with each base's distance. Also the incident
// form's "add another source" button. Every word comes from the page (data
// attributes the server filled from its catalog); text goes in with
// textContent, never as HTML.
(function () {
  'use strict';

  var el = document.getElementById('pick-map');
  var lat = document.getElementById('f-lat');
  var lon = document.getElementById('f-lon');
  var base = document.getElementById('f-base');

  function num(input) {
    var v = input ? parseFloat(input.value) : NaN;
    return isFinite(v) ? v : NaN;
  }

  function format(template, args) {
    return template.replace(/\{(\w+)\}/g, function (m, k) { return k in args ? args[k] : m; });
  }

  // orderBases lists the bases nearest the point first, with their
  // distance in km (haversine, as the server does).
  function orderBases(la, lo) {
    if (!base || !isFinite(la) || !isFinite(lo)) { return; }
    var tmpl = base.dataset.distanceFormat || '{name} ({distance})';
    var opts = Array.prototype.slice.call(base.options).filter(function (o) { return o.value !== ''; });
    opts.forEach(function (o) {
      var d = L.latLng(la, lo).distanceTo(L.latLng(parseFloat(o.dataset.lat), parseFloat(o.dataset.lon)));
      o.dataset.metres = String(d);
      o.textContent = format(tmpl, { name: o.dataset.name, distance: Math.round(d / 1000) + ' km' });
    });
    opts.sort(function (a, b) { return parseFloat(a.dataset.metres) - parseFloat(b.dataset.metres); });
    opts.forEach(function (o) { base.appendChild(o); });
  }

  if (el && lat && lon && window.L) {
    var map = L.map(el, { zoomControl: true, worldCopyJump: true });
    map.createPane('basemap').style.zIndex = 210;
    var marker = null;
    var bounds = [];
    if (base) {
      Array.prototype.forEach.call(base.options, function (o) {
        if (!o.value) { return; }
        var p = [parseFloat(o.dataset.lat), parseFloat(o.dataset.lon)];
        bounds.push(p);
        var label = document.createElement('span');
        label.textContent = o.dataset.name;
        L.circleMarker(p, { radius: 5, className: 'pick-base' }).bindTooltip(label).addTo(map);
      });
    }
    var la = num(lat);
    var lo = num(lon);
    if (isFinite(la) && isFinite(lo)) {
      map.setView([la, lo], 8);
    } else if (bounds.length) {
      map.fitBounds(bounds, { padding: [20, 20] });
    } else {
      map.setView([33.5, 42], 5);
    }
    var place = function (p) {
      if (marker) { marker.setLatLng(p); } else { marker = L.marker(p, { keyboard: false }).addTo(map); }
    };
    if (isFinite(la) && isFinite(lo)) { place([la, lo]); }
    map.on('click', function (e) {
      var p = e.latlng.wrap();
      lat.value = p.lat.toFixed(5).replace(/\.?0+$/, '');
      lon.value = p.lng.toFixed(5).replace(/\.?0+$/, '');
      place(p);
      orderBases(p.lat, p.lng);
    });
    var typed = function () {
      var a = num(lat);
      var b = num(lon);
      if (isFinite(a) && isFinite(b) && Math.abs(a) <= 90 && Math.abs(b) <= 180) {
        place([a, b]);
        map.panTo([a, b]);
        orderBases(a, b);
      }
    };
    lat.addEventListener('change', typed);
    lon.addEventListener('change', typed);
    el.title = el.dataset.hint || '';
    fetch('/api/basemap.geojson').then(function (r) { return r.ok ? r.json() : null; }).then(function (fc) {
      if (!fc) { return; }
      var style = { land: { className: 'bm-land', stroke: false }, country: { className: 'bm-country', stroke: false }, border: { className: 'bm-border', weight: 1, fill: false } };
      L.geoJSON(fc, {
        pane: 'basemap',
        interactive: false,
        attribution: fc.attribution,
        filter: function (f) { return f.properties.layer in style; },
        style: function (f) { return style[f.properties.layer]; }
      }).addTo(map);
    }).catch(function () {});
  }

  // Another source row: a copy of the last, emptied, with ids of its own.
  var add = document.getElementById('add-source-row');
  var rows = document.getElementById('source-rows');
  if (add && rows) {
    add.hidden = false;
    add.addEventListener('click', function () {
      var all = rows.querySelectorAll('.source-row');
      var last = all[all.length - 1];
      var row = last.cloneNode(true);
      var n = all.length;
      Array.prototype.forEach.call(row.querySelectorAll('.field-error'), function (e) { e.remove(); });
      Array.prototype.forEach.call(row.querySelectorAll('.has-error'), function (e) { e.classList.remove('has-error'); });
      Array.prototype.forEach.call(row.querySelectorAll('input, select'), function (input) {
        var id = input.id.replace(/-\d+-/, '-' + n + '-');
        var label = row.querySelector('label[for="' + input.id + '"]');
        input.id = id;
        if (label) { label.htmlFor = id; }
        input.removeAttribute('aria-invalid');
        input.removeAttribute('aria-describedby');
        if (input.tagName === 'INPUT') { input.value = ''; }
      });
      var title = row.querySelector('.source-row-title');
      if (title && add.dataset.titleFormat) { title.textContent = format(add.dataset.titleFormat, { n: n + 1 }); }
      rows.insertBefore(row, add);
      var first = row.querySelector('input');
      if (first) { first.focus(); }
    });
  }
}());

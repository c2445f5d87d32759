(function () {
  'use strict';
  // Everything here reads and moves elements the report already holds; it
  // never builds markup from trace values, so no value can become code.
  var root = document.documentElement;
  root.classList.add('js');
  var table = document.getElementById('traces');

  function toggle(btn, open) {
    var row = document.getElementById(btn.getAttribute('data-toggle'));
    if (!row) { return; }
    if (open === undefined) { open = row.hidden; }
    row.hidden = !open;
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
    btn.textContent = open ? 'hide' : 'details';
  }

  function showTab(btn) {
    var views = btn.closest('.views');
    var name = btn.getAttribute('data-tab');
    views.querySelectorAll('.tabbar button').forEach(function (b) {
      b.setAttribute('aria-selected', b === btn ? 'true' : 'false');
    });
    views.querySelectorAll('.view').forEach(function (v) {
      v.classList.toggle('on', v.getAttribute('data-view') === name);
    });
  }

  // openTrace reveals a trace row (clearing filters that hide it) and its
  // details, for links from findings and sequences.
  function openTrace(id) {
    var body = document.getElementById(id);
    if (!body || body.tagName !== 'TBODY') { return; }
    if (body.hidden) { clearFilters(); }
    var btn = body.querySelector('button.open');
    if (btn) { toggle(btn, true); }
    body.scrollIntoView({block: 'start'});
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof Element)) { return; }
    var b = t.closest('button[data-toggle]');
    if (b) { toggle(b); return; }
    var tab = t.closest('button[data-tab]');
    if (tab) { showTab(tab); return; }
    var a = t.closest('a[href^="#t-"]');
    if (a) { e.preventDefault(); openTrace(a.getAttribute('href').slice(1)); }
  });

  if (!table) { return; }
  var bodies = Array.prototype.slice.call(table.tBodies);

  // Sorting moves whole <tbody> elements: a trace row and its details stay
  // together.
  var heads = table.tHead.rows[0].cells;
  Array.prototype.forEach.call(heads, function (th, col) {
    var kind = th.getAttribute('data-sort');
    if (!kind) { return; }
    var btn = document.createElement('button');
    btn.type = 'button';
    while (th.firstChild) { btn.appendChild(th.firstChild); }
    th.appendChild(btn);
    btn.addEventListener('click', function () {
      var asc = th.getAttribute('aria-sort') !== 'ascending';
      Array.prototype.forEach.call(heads, function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
      var keyed = bodies.map(function (body, i) {
        var cell = body.rows[0].cells[col];
        var k = cell.hasAttribute('data-k') ? cell.getAttribute('data-k') : cell.textContent;
        return {body: body, k: kind === 'num' ? parseFloat(k) || 0 : k.toLowerCase(), i: i};
      });
      keyed.sort(function (x, y) {
        var c = x.k < y.k ? -1 : x.k > y.k ? 1 : x.i - y.i;
        return asc ? c : -c;
      });
      var frag = document.createDocumentFragment();
      keyed.forEach(function (o) { frag.appendChild(o.body); });
      table.appendChild(frag);
      bodies = keyed.map(function (o) { return o.body; });
    });
  });

  var q = document.getElementById('q');
  var fstatus = document.getElementById('fstatus');
  var ffind = document.getElementById('ffind');
  var shown = document.getElementById('shown');
  var texts = null;

  function apply() {
    if (!texts) {
      texts = new Map();
      bodies.forEach(function (b) { texts.set(b, b.rows[0].textContent.toLowerCase()); });
    }
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var cls = fstatus.value;
    var onlyFindings = ffind.checked;
    var n = 0;
    bodies.forEach(function (b) {
      var ok = (!cls || b.getAttribute('data-c') === cls) &&
        (!onlyFindings || b.hasAttribute('data-f'));
      if (ok) {
        var text = texts.get(b);
        for (var i = 0; i < words.length && ok; i++) { ok = text.indexOf(words[i]) >= 0; }
      }
      b.hidden = !ok;
      if (ok) { n++; }
    });
    shown.textContent = String(n);
  }

  function clearFilters() {
    q.value = '';
    fstatus.value = '';
    ffind.checked = false;
    apply();
  }

  var timer = 0;
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  fstatus.addEventListener('change', apply);
  ffind.addEventListener('change', apply);
  if (location.hash.indexOf('#t-') === 0) { openTrace(location.hash.slice(1)); }
})();

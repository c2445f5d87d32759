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
    if (body.hidden) {
      // Filters stay as they are when the row matches them; otherwise
      // they are cleared. Either way this row is drawn.
      pinned.add(body);
      if (!matches(body)) { clearFilters(); } else { apply(); }
    }
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
      apply();
    });
  });

  var q = document.getElementById('q');
  var fstatus = document.getElementById('fstatus');
  var ffind = document.getElementById('ffind');
  var shown = document.getElementById('shown');
  var showing = document.getElementById('showing');
  var more = document.getElementById('more');
  var all = document.getElementById('all');
  // Only the first `limit` matching rows are drawn: a browser takes
  // seconds to lay out ten thousand table rows, and none for hidden ones.
  var page = parseInt(table.getAttribute('data-page'), 10) || 500;
  var limit = page;
  var texts = null;
  // pinned rows were opened from a link and stay drawn past the limit.
  var pinned = new Set();

  function matches(b) {
    if (!texts) {
      texts = new Map();
      bodies.forEach(function (x) { texts.set(x, x.rows[0].textContent.toLowerCase()); });
    }
    var cls = fstatus.value;
    if ((cls && b.getAttribute('data-c') !== cls) || (ffind.checked && !b.hasAttribute('data-f'))) { return false; }
    var words = q.value.toLowerCase().split(/\s+/).filter(Boolean);
    var text = texts.get(b);
    for (var i = 0; i < words.length; i++) {
      if (text.indexOf(words[i]) < 0) { return false; }
    }
    return true;
  }

  function apply() {
    var n = 0;
    bodies.forEach(function (b) {
      var ok = matches(b);
      if (ok) { n++; }
      b.hidden = !ok || (n > limit && !pinned.has(b));
    });
    shown.textContent = String(n);
    if (showing) { showing.textContent = String(Math.min(n, limit)); }
    if (more) { more.hidden = all.hidden = n <= limit; }
  }

  function clearFilters() {
    q.value = '';
    fstatus.value = '';
    ffind.checked = false;
    apply();
  }

  if (more) {
    more.addEventListener('click', function () { limit += page; apply(); });
    all.addEventListener('click', function () { limit = bodies.length; apply(); });
  }

  var timer = 0;
  function refilter() { limit = page; apply(); }
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(refilter, 120); });
  fstatus.addEventListener('change', refilter);
  ffind.addEventListener('change', refilter);
  if (location.hash.indexOf('#t-') === 0) { openTrace(location.hash.slice(1)); }
})();

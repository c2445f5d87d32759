(function () {
  'use strict';
  // Everything here reads and moves elements the report already holds; it
  // never builds markup from trace values, so no value can become code.
  var root = document.documentElement;
  root.classList.add('js');

  // On a phone the list of findings (one link per rule, 41 for the
  // samples) would push the report a screen down: it starts folded there,
  // behind its summary line. Wider screens keep it open, summary hidden.
  var tocf = document.querySelector('details.tocf');
  if (tocf && window.matchMedia && window.matchMedia('(max-width: 40rem)').matches) { tocf.open = false; }
  var table = document.getElementById('traces');

  function toggle(btn, open) {
    var row = document.getElementById(btn.getAttribute('data-toggle'));
    if (!row) { return; }
    if (open === undefined) { open = row.hidden; }
    row.hidden = !open;
    btn.setAttribute('aria-expanded', open ? 'true' : 'false');
    btn.textContent = open ? 'hide' : 'details';
  }

  // copy puts the text of a fix or command on the clipboard; where the
  // Clipboard API is refused (some browsers on file://) it selects the
  // text so Ctrl+C copies it.
  function copy(btn) {
    var box = document.getElementById(btn.getAttribute('data-copy'));
    var el = box && box.querySelector('.copytext');
    if (!el) { return; }
    var text = el.textContent.replace(/\s+/g, ' ').trim();
    var done = function () { btn.textContent = 'copied'; setTimeout(function () { btn.textContent = 'copy'; }, 1500); };
    var select = function () {
      var r = document.createRange(); r.selectNodeContents(el);
      var sel = window.getSelection(); sel.removeAllRanges(); sel.addRange(r);
      btn.textContent = 'selected: Ctrl+C';
    };
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(done, select);
    } else { select(); }
  }

  function showTab(btn) {
    var views = btn.closest('.views');
    var name = btn.getAttribute('data-tab');
    views.querySelectorAll('.tabbar button').forEach(function (b) {
      b.setAttribute('aria-selected', b === btn ? 'true' : 'false');
      b.tabIndex = b === btn ? 0 : -1;
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
    // Each trace has an address (#t-12) to send to a colleague.
    if (location.hash !== '#' + id && history.replaceState) { history.replaceState(null, '', '#' + id); }
  }

  // Tabs follow the WAI-ARIA pattern: one tab in the Tab order, arrow
  // keys (and Home/End) move between tabs and show their view.
  document.querySelectorAll('.views').forEach(function (views, i) {
    var tabs = views.querySelectorAll('[role=tab]');
    tabs.forEach(function (tab) {
      var view = views.querySelector('[data-view="' + tab.getAttribute('data-tab') + '"]');
      tab.id = 'tab-' + i + '-' + tab.getAttribute('data-tab');
      if (view) {
        view.id = 'view-' + i + '-' + tab.getAttribute('data-tab');
        view.setAttribute('role', 'tabpanel');
        view.setAttribute('aria-labelledby', tab.id);
        tab.setAttribute('aria-controls', view.id);
      }
      tab.tabIndex = tab.getAttribute('aria-selected') === 'true' ? 0 : -1;
    });
  });
  document.addEventListener('keydown', function (e) {
    var tab = e.target instanceof Element && e.target.closest('[role=tab]');
    if (!tab) { return; }
    var tabs = Array.prototype.slice.call(tab.parentElement.querySelectorAll('[role=tab]'));
    var i = tabs.indexOf(tab), next = -1;
    if (e.key === 'ArrowRight') { next = (i + 1) % tabs.length; }
    if (e.key === 'ArrowLeft') { next = (i + tabs.length - 1) % tabs.length; }
    if (e.key === 'Home') { next = 0; }
    if (e.key === 'End') { next = tabs.length - 1; }
    if (next < 0) { return; }
    e.preventDefault();
    showTab(tabs[next]);
    tabs[next].focus();
  });
  window.addEventListener('hashchange', function () {
    if (location.hash.indexOf('#t-') === 0) { openTrace(location.hash.slice(1)); }
  });

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof Element)) { return; }
    var c = t.closest('button.copy');
    if (c) { copy(c); return; }
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
  var none = document.getElementById('none');
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
      // The row's cells and what it does not show: the client family
      // ("apple" finds Apple Mail), the full user agent and file.
      bodies.forEach(function (x) { texts.set(x, x.rows[0].textContent.toLowerCase() + ' ' + (x.getAttribute('data-s') || '')); });
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
    if (none) { none.hidden = n > 0; }
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

/*
 * normkit: the site's search, from file:// or a server. The index is scripts under search/ (written
 * by src/render/search/search-index.ts; keys, normalization and the shard hash must stay as there):
 * meta.js (counts), k<n>.js (postings by key: Han characters and bigrams), d/<id>.js (a document).
 * A query loads only the shards of its own keys and the documents it shows. Substrings are found
 * by their bigrams (recall); results are ranked by where and how whole the match is, with
 * Intl.Segmenter telling a whole word (居住证) from part of another (居住证明).
 */
(function (global) {
  'use strict';
  var ALPHA = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_';
  var WORD = /[\p{L}\p{N}]+/gu;
  var HAN = /^\p{Script=Han}$/u;
  /** At most this many keys are looked up (a pasted paragraph must not load every shard). */
  var MAX_KEYS = 24;
  var state = { meta: null, shards: {}, docs: {} };

  function normalize(s) { return s.normalize('NFKC').toLowerCase(); }

  function termsOf(query) {
    return (normalize(query).match(WORD) || []).filter(function (t) { return termKeys(t).length > 0; });
  }

  /** The keys every document containing `term` has. */
  function termKeys(term) {
    var run = Array.from(term);
    if (run.length === 1) return HAN.test(run[0]) ? [run[0]] : [];
    var keys = [];
    for (var i = 0; i + 1 < run.length; i++) {
      var k = run[i] + run[i + 1];
      if (keys.indexOf(k) < 0) keys.push(k);
    }
    return keys;
  }

  function shardOf(key, shards) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % shards;
  }

  /** Document ids (doubled, plus 1 where the key is in the title) from a posting list. */
  function decode(s) {
    var out = [];
    var prev = -1;
    var n = 0;
    for (var i = 0; i < s.length; i++) {
      var d = ALPHA.indexOf(s[i]);
      if (d >= 32) { n = n * 32 + (d - 32); continue; }
      n = n * 32 + d;
      var id = prev + 1 + (n >> 1);
      out.push(id * 2 + (n & 1));
      prev = id;
      n = 0;
    }
    return out;
  }

  var segmenter = typeof Intl !== 'undefined' && Intl.Segmenter ? new Intl.Segmenter('zh', { granularity: 'word' }) : null;

  /** Word boundaries of `text` (offsets in UTF-16 units), or null without Intl.Segmenter. */
  function boundaries(text) {
    if (!segmenter) return null;
    var b = {};
    var it = segmenter.segment(text)[Symbol.iterator]();
    for (var r = it.next(); !r.done; r = it.next()) {
      b[r.value.index] = true;
      b[r.value.index + r.value.segment.length] = true;
    }
    return b;
  }

  /** How well one text matches the terms, and where (for highlighting). */
  function matchText(text, terms) {
    var norm = normalize(text);
    // offsets are comparable only when normalizing kept the length (it nearly always does)
    var same = norm.length === text.length;
    var words = null;
    var score = 0;
    var found = 0;
    var ranges = [];
    for (var t = 0; t < terms.length; t++) {
      var term = terms[t];
      var at = norm.indexOf(term);
      if (at >= 0) {
        found++;
        score += 10;
        // a whole word (or run of words) counts more than part of a longer one
        var whole = false;
        for (var from = at; from >= 0 && !whole; from = norm.indexOf(term, from + 1)) {
          if (words === null) words = boundaries(norm) || false;
          if (words && words[from] && words[from + term.length]) { whole = true; at = from; }
        }
        if (whole) score += 5;
        if (same) ranges.push([at, at + term.length]);
      } else {
        var keys = termKeys(term);
        var have = 0;
        for (var k = 0; k < keys.length; k++) if (norm.indexOf(keys[k]) >= 0) have++;
        score += keys.length ? (4 * have) / keys.length : 0;
      }
    }
    return { score: score, found: found, ranges: ranges };
  }

  function createEngine(load) {
    var loading = {};
    function need(file) {
      if (!loading[file]) {
        loading[file] = load(file);
        loading[file].catch(function () { delete loading[file]; });
      }
      return loading[file];
    }

    /** Starts a query: finds every document that has all its keys; `next(n)` ranks and returns the next results. */
    function search(query) {
      return need('meta.js').then(function () {
        var meta = state.meta;
        var terms = termsOf(query);
        var keys = [];
        terms.forEach(function (t) { termKeys(t).forEach(function (k) { if (keys.indexOf(k) < 0 && keys.length < MAX_KEYS) keys.push(k); }); });
        var shards = [];
        keys.forEach(function (k) { var n = shardOf(k, meta.shards); if (shards.indexOf(n) < 0) shards.push(n); });
        return Promise.all(shards.map(function (n) { return need('k' + n + '.js'); })).then(function () {
          return session(terms, keys, meta);
        });
      });
    }

    function session(terms, keys, meta) {
      var pre = new Map();
      var hits = new Map();
      keys.forEach(function (k) {
        var list = decode((state.shards[shardOf(k, meta.shards)] || {})[k] || '');
        var idf = Math.log(1 + meta.docs / (list.length || 1));
        for (var i = 0; i < list.length; i++) {
          var id = list[i] >> 1;
          pre.set(id, (pre.get(id) || 0) + idf * (list[i] & 1 ? 3 : 1));
          hits.set(id, (hits.get(id) || 0) + 1);
        }
      });
      // every key for recall; failing that, most of them (a typo, a word the sources write differently)
      var required = keys.length;
      var ids = [];
      hits.forEach(function (h, id) { if (h === required) ids.push(id); });
      var partial = false;
      if (!ids.length && keys.length > 2) {
        partial = true;
        required = Math.ceil(keys.length * 0.6);
        hits.forEach(function (h, id) { if (h >= required) ids.push(id); });
      }
      ids.sort(function (a, b) { return pre.get(b) - pre.get(a) || a - b; });
      var at = 0;
      var pool = [];
      return {
        terms: terms,
        total: ids.length,
        partial: partial,
        done: function () { return at >= ids.length && pool.length === 0; },
        /** The next `count` results, ranked among at least twice as many candidates. */
        next: function (count) {
          function fill() {
            if (pool.length >= count * 2 || at >= ids.length) {
              var out = pool.splice(0, count);
              return Promise.resolve(out);
            }
            var batch = ids.slice(at, at + count * 2);
            at += batch.length;
            return Promise.all(batch.map(function (id) { return need('d/' + id + '.js'); })).then(function () {
              batch.forEach(function (id) { pool.push(rank(id, terms, pre.get(id))); });
              pool.sort(function (a, b) { return b.score - a.score || a.id - b.id; });
              return fill();
            });
          }
          return fill();
        },
      };
    }

    return { search: search };
  }

  /** One result: the document's title, the line under it, its page, and its best passage. */
  function rank(id, terms, pre) {
    var d = state.docs[id];
    var title = matchText(d.t, terms);
    var best = null;
    for (var i = 0; i < d.p.length; i++) {
      var m = matchText(d.p[i][1], terms);
      // a clause's heading is searched too, and a match there counts more
      if (d.p[i][2]) m.score += 1.5 * matchText(d.p[i][0], terms).score;
      if (m.score > 0 && (!best || m.score > best.m.score)) best = { i: i, m: m };
    }
    var p = best ? d.p[best.i] : d.p[0];
    var score = 2 * title.score + (best ? best.m.score : 0) + pre / 100;
    return {
      id: id, score: score, kind: d.k, title: d.t, titleRanges: title.ranges, sub: d.s,
      url: d.u + (p && p[2] ? '#' + encodeURIComponent(p[2]) : ''),
      label: p ? p[0] : '', text: p ? p[1] : '', ranges: best ? best.m.ranges : [],
    };
  }

  global.NKSearch = {
    meta: function (m) { state.meta = m; },
    shard: function (n, keys) { state.shards[n] = keys; },
    doc: function (id, d) { state.docs[id] = d; },
    createEngine: createEngine,
    normalize: normalize,
    termsOf: termsOf,
    termKeys: termKeys,
    shardOf: shardOf,
    decode: decode,
  };

  // ---- the search page ----
  if (typeof document === 'undefined') return;
  var main = document.querySelector('main.search');
  if (!main) return;
  var base = main.getAttribute('data-index') || 'search/';
  var engine = createEngine(function (file) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement('script');
      s.src = base + file;
      s.onload = function () { resolve(); };
      s.onerror = function () { reject(new Error(base + file)); };
      document.head.appendChild(s);
    });
  });
  // ten at a time, each ranked among twenty: a phone downloads twenty small documents, not forty
  var PAGE = 10;
  var input = main.querySelector('#q');
  var status = main.querySelector('.search-status');
  var list = main.querySelector('.search-results');
  var more = main.querySelector('.search-more');
  var current = null;
  var shown = 0;

  /** A text with its matched ranges marked, cut to about 90 characters around the first match. */
  function marked(el, text, ranges) {
    var from = 0;
    var to = text.length;
    if (text.length > 90) {
      var first = ranges.length ? ranges[0][0] : 0;
      from = Math.max(0, first - 30);
      to = Math.min(text.length, from + 90);
    }
    if (from > 0) el.appendChild(document.createTextNode('…'));
    var at = from;
    ranges.slice().sort(function (a, b) { return a[0] - b[0]; }).forEach(function (r) {
      if (r[0] < at || r[1] > to) return;
      el.appendChild(document.createTextNode(text.slice(at, r[0])));
      var m = document.createElement('mark');
      m.textContent = text.slice(r[0], r[1]);
      el.appendChild(m);
      at = r[1];
    });
    el.appendChild(document.createTextNode(text.slice(at, to)));
    if (to < text.length) el.appendChild(document.createTextNode('…'));
  }

  function show(results) {
    results.forEach(function (r) {
      var li = document.createElement('li');
      li.className = 'result result-' + r.kind;
      var h = document.createElement('h2');
      var a = document.createElement('a');
      a.href = r.url;
      marked(a, r.title, r.titleRanges);
      h.appendChild(a);
      li.appendChild(h);
      var sub = document.createElement('p');
      sub.className = 'result-sub';
      sub.textContent = (r.kind === 'item' ? '办事事项 · ' : '标准 · ') + r.sub;
      li.appendChild(sub);
      if (r.text || r.label) {
        var p = document.createElement('p');
        p.className = 'result-text';
        var label = document.createElement('span');
        label.className = 'result-label';
        label.textContent = r.label + (r.text ? '：' : '');
        p.appendChild(label);
        marked(p, r.text, r.ranges);
        li.appendChild(p);
      }
      list.appendChild(li);
    });
    shown += results.length;
    more.hidden = current.done();
  }

  function run(query) {
    list.textContent = '';
    more.hidden = true;
    shown = 0;
    if (!query.trim()) { status.textContent = '请输入要查找的文字，例如事项名称、材料或标准条款中的词语。'; return; }
    status.textContent = '正在搜索……';
    engine.search(query).then(function (s) {
      current = s;
      if (!s.terms.length) { status.textContent = '请输入至少一个汉字或两个字母、数字。'; return; }
      if (!s.total) { status.textContent = '没有找到与“' + query + '”相符的事项或标准。'; return; }
      status.textContent = (s.partial ? '没有完全相符的内容；以下 ' + s.total + ' 个结果与“' + query + '”部分相符。' : '找到 ' + s.total + ' 个与“' + query + '”相符的结果。');
      return s.next(PAGE).then(show);
    }).catch(function (e) {
      status.textContent = '搜索索引无法读取（' + e.message + '）。请重新生成网站。';
    });
  }

  more.addEventListener('click', function () {
    if (current) current.next(PAGE).then(show);
  });
  main.querySelector('form').addEventListener('submit', function (e) {
    e.preventDefault();
    var q = input.value;
    if (history.replaceState) {
      try { history.replaceState(null, '', '?q=' + encodeURIComponent(q)); } catch (err) { /* some file:// pages refuse */ }
    }
    run(q);
  });
  var q = new URLSearchParams(location.search).get('q') || '';
  input.value = q;
  if (q) run(q);
  else status.textContent = '请输入要查找的文字，例如事项名称、材料或标准条款中的词语。';
})(typeof window !== 'undefined' ? window : globalThis);

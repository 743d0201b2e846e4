/* jiangtang search (讲堂站内搜索): sharded bigram + pinyin index, no network beyond the site.
 * Loaded on every page; only wires the header box unless the page has #search-results.
 * Index files are JavaScript (__jtS(kind, id, data)) so they load by <script> insertion
 * from http(s):// and from file:// alike. See docs/design/search.md. */
(function () {
  "use strict";
  var T2S_PAIRS = /*@@T2S@@*/"";
  var SYLLABLES = /*@@SYL@@*/[];
  var KIND_NAMES = { l: "讲稿", s: "宣讲员", r: "宣讲记录", p: "页面" };
  var KIND_VALUES = { lecture: "l", speaker: "s", session: "r", page: "p" };
  var TIER = { t: 50, n: 40, k: 30, h: 20, b: 10 };
  var POS_FIELDS = ["t", "n", "k", "h"];
  var PAGE = 10;
  var LOAD_TIMEOUT = 15000;

  var self = document.currentScript;
  var src = (self && self.src) || "";
  var ROOT = src.replace(/assets\/search\/search\.js([?#].*)?$/, "");
  var FILE = location.protocol === "file:";

  var T2S = {};
  for (var i = 0; i + 1 < T2S_PAIRS.length; i += 2) T2S[T2S_PAIRS[i]] = T2S_PAIRS[i + 1];
  var SYL = {};
  var PREFIX = {};
  SYLLABLES.forEach(function (s) {
    SYL[s] = true;
    for (var j = 1; j < s.length; j++) PREFIX[s.slice(0, j)] = true;
  });
  var INITIAL = {};
  "bpmfdtnlgkhjqxzcsrywaoe".split("").forEach(function (c) { INITIAL[c] = true; });
  INITIAL.zh = INITIAL.ch = INITIAL.sh = true;

  var WORD;
  try { WORD = new RegExp("[\\p{L}\\p{N}]", "u"); } catch (e) { WORD = /[0-9A-Za-z\u3400-\u9fff\uf900-\ufaff]/; }
  var HAN = /[\u3400-\u9fff\uf900-\ufaff]/;

  /* ---------- normalisation (same as jiangtang/search/normalize.py) ---------- */
  var NORM = new Map();
  function normChar(ch) {
    var hit = NORM.get(ch);
    if (hit !== undefined) return hit;
    var v = normChar1(ch);
    NORM.set(ch, v);
    return v;
  }
  function normChar1(ch) {
    var s = ch.normalize ? ch.normalize("NFKC").toLowerCase() : ch.toLowerCase();
    var out = "";
    for (var c of s) {
      var d = T2S[c] || c;
      out += WORD.test(d) ? d : " ";
    }
    return out || " ";
  }
  /** Normalise text keeping a map: cps[i] is a normalised code point, map[i] the
   * UTF-16 offset in the original it came from (map[cps.length] = text.length). */
  var NM_CACHE = new Map();
  function normMap(text) {
    var hit = NM_CACHE.get(text);
    if (hit) return hit;
    var r = normMap1(text);
    if (NM_CACHE.size > 200) NM_CACHE.clear();
    NM_CACHE.set(text, r);
    return r;
  }
  function normMap1(text) {
    var cps = [], map = [], off = 0;
    for (var ch of text) {
      for (var c of normChar(ch)) { cps.push(c); map.push(off); }
      off += ch.length;
    }
    map.push(off);
    return { cps: cps, map: map, str: cps.join("") };
  }
  function normalize(text) { return normMap(text).str; }

  /* ---------- loading ---------- */
  var store = {}, pending = {};
  window.__jtS = function (kind, id, data) { store[kind + id] = data; };
  function fileUrl(path) { return ROOT + path; }
  function load(kind, id, path) {
    var name = kind + id;
    if (store[name]) return Promise.resolve(store[name]);
    if (pending[name]) return pending[name];
    pending[name] = new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      var timer = setTimeout(function () { fail("timeout"); }, LOAD_TIMEOUT);
      function fail(why) {
        clearTimeout(timer);
        delete pending[name];
        var err = new Error(why + ": " + path);
        err.jtLoad = true;
        reject(err);
      }
      s.async = true;
      s.src = fileUrl(path);
      s.onload = function () {
        clearTimeout(timer);
        if (store[name]) resolve(store[name]); else fail("empty");
      };
      s.onerror = function () { fail("error"); };
      document.head.appendChild(s);
    });
    return pending[name];
  }
  var manifestP = null;
  function manifest() {
    if (!manifestP) manifestP = load("m", 0, "search/idx/m.js").catch(function (e) { manifestP = null; throw e; });
    return manifestP;
  }
  /** Display data of a document, plus its body when ``withBody`` (d.b is then set). */
  function docData(id, withBody) {
    var meta = load("d", id, "search/idx/d/" + id + ".js");
    if (!withBody) return meta;
    return Promise.all([meta, load("b", id, "search/idx/b/" + id + ".js")]).then(function (x) {
      x[0].b = x[1].b;
      return x[0];
    });
  }
  function needsBody(r) { return r.matches.some(function (x) { return x.f === "b"; }); }

  /** FNV-1a over UTF-16 code units, as jiangtang.search.index.shard_of. */
  function shardOf(m, key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h % m.ns;
  }
  var parsed = {};
  function parsePosting(v) {
    var parts = (v || "").split("|"), res = {};
    POS_FIELDS.forEach(function (f, fi) {
      var map = new Map(), s = parts[fi];
      if (s) {
        var prev = 0;
        s.split(",").forEach(function (item) {
          var xs = item.split(".");
          prev += parseInt(xs[0], 36);
          var ps = [];
          for (var j = 1; j < xs.length; j++) ps.push(parseInt(xs[j], 36));
          map.set(prev, ps);
        });
      }
      res[f] = map;
    });
    var b = [], br = new Map(), bs = parts[4];
    if (bs) {
      var prev = 0;
      bs.split(",").forEach(function (x) {
        var dot = x.indexOf(".");
        if (dot < 0) { prev += parseInt(x, 36); b.push(prev); return; }
        prev += parseInt(x.slice(0, dot), 36);
        b.push(prev);
        br.set(prev, x.slice(dot + 1));
      });
    }
    res.b = b;
    res.br = br; /* doc -> positions mod 32 (base-32 digits) when the bigram is rare there */
    return res;
  }
  /** Resolve keys -> parsed postings, loading the shards needed (in parallel). */
  function lookup(m, keys) {
    var need = {};
    keys.forEach(function (k) { need[shardOf(m, k)] = true; });
    return Promise.all(Object.keys(need).map(function (n) {
      return load("s", n, "search/idx/s/" + n + ".js");
    })).then(function () {
      var out = {};
      keys.forEach(function (k) {
        if (!parsed[k]) parsed[k] = parsePosting(store["s" + shardOf(m, k)][k]);
        out[k] = parsed[k];
      });
      return out;
    });
  }

  /* ---------- query analysis ---------- */
  function queryTerms(q) {
    return normalize(q).split(" ").filter(function (t) { return t.length > 0; })
      .map(function (t) { return Array.from(t); });
  }
  /** Split a run of ASCII letters into syllable / initial segments (at most 8 parses). */
  function letterParses(s) {
    var out = [];
    function rec(i, acc) {
      if (out.length >= 64) return;
      if (i === s.length) { out.push(acc.slice()); return; }
      for (var j = Math.min(s.length, i + 6); j > i; j--) {
        if (out.length >= 64) return;
        var piece = s.slice(i, j);
        if (SYL[piece]) { acc.push({ t: "S", v: piece }); rec(j, acc); acc.pop(); }
        else if (j === s.length && PREFIX[piece] && piece.length > 1 && !INITIAL[piece]) {
          acc.push({ t: "I", v: piece }); rec(j, acc); acc.pop();
        }
        if (INITIAL[piece] && (piece.length === 1 || piece.length === 2)) {
          acc.push({ t: "I", v: piece }); rec(j, acc); acc.pop();
        }
      }
    }
    rec(0, []);
    /* letters not covered by full syllables: fewer is a better reading */
    function inits(p) {
      return p.reduce(function (n, x) { return n + (x.t === "I" ? x.v.length : 0); }, 0);
    }
    /* full syllables when possible (longest first); among initials-only readings,
       one letter per character first ("zh" may be 2 characters or one initial) */
    out.sort(function (a, b) {
      var d = inits(a) - inits(b);
      if (d) return d;
      return inits(a) ? b.length - a.length : a.length - b.length;
    });
    var fewest = out.length ? inits(out[0]) : 0;
    return out.filter(function (p) { return inits(p) === fewest; }).slice(0, 6);
  }
  /** All segmentations of a term mixing Han characters and pinyin letters. */
  function pinyinParses(cps) {
    var hasLetter = false;
    for (var c of cps) {
      if (/[a-z]/.test(c)) hasLetter = true;
      else if (!HAN.test(c)) return [];
    }
    if (!hasLetter) return [];
    var groups = [], cur = "";
    cps.forEach(function (c) {
      if (/[a-z]/.test(c)) cur += c;
      else { if (cur) { groups.push(cur); cur = ""; } groups.push({ t: "C", v: c }); }
    });
    if (cur) groups.push(cur);
    var parses = [[]];
    groups.forEach(function (g) {
      var opts = typeof g === "string" ? letterParses(g) : [[g]];
      var next = [];
      parses.forEach(function (p) { opts.forEach(function (o) { if (next.length < 12) next.push(p.concat(o)); }); });
      parses = next;
    });
    return parses.filter(function (p) { return p.length > 0; });
  }
  function pinyinConstraints(segs) {
    if (segs.length === 1) {
      var s0 = segs[0];
      if (s0.t !== "S") return null;
      var one = [["$" + s0.v, 0]];
      one.n = 1;
      return one;
    }
    var cons = [], covered = {};
    for (var i = 0; i + 1 < segs.length; i++) {
      var a = segs[i], b = segs[i + 1], key;
      if (a.t === "C" && b.t === "C") key = a.v + b.v;
      else if (a.t === "S" && b.t === "S") { key = "%" + a.v + "|" + b.v; covered[i] = covered[i + 1] = true; }
      else if (a.t === "C") key = "^" + a.v + b.v[0];
      else if (b.t === "C") key = "^" + a.v[0] + b.v;
      else key = "&" + a.v[0] + b.v[0];
      cons.push([key, i]);
    }
    segs.forEach(function (s, i) { if (s.t === "S" && !covered[i]) cons.push(["$" + s.v, i]); });
    cons.n = segs.length;
    return cons;
  }

  /** Positional match: docs/fields where every constraint [key, offset] holds at start+offset. */
  function positional(post, cons, fields, cb) {
    fields.forEach(function (f) {
      var first = post[cons[0][0]][f];
      if (!first || !first.size) return;
      first.forEach(function (ps, doc) {
        var starts = ps.map(function (p) { return p - cons[0][1]; });
        for (var i = 1; i < cons.length && starts.length; i++) {
          var other = post[cons[i][0]][f].get(doc);
          if (!other) { starts = []; break; }
          var off = cons[i][1];
          starts = starts.filter(function (s) { return other.indexOf(s + off) >= 0; });
        }
        if (starts.length) cb(doc, f, starts[0]);
      });
    });
  }

  /** Could bigram i sit at start + i for every i? Uses positions mod 32 where known. */
  function residuesAgree(posts, doc) {
    var known = [];
    posts.forEach(function (p, i) {
      var r = p.br.get(doc);
      if (r) known.push([i, r]);
    });
    if (known.length < 2) return true;
    var first = known[0];
    for (var a = 0; a < first[1].length; a++) {
      var start = parseInt(first[1][a], 32) - first[0];
      var ok = true;
      for (var j = 1; j < known.length && ok; j++) {
        var want = (((start + known[j][0]) % 32) + 32) % 32;
        ok = known[j][1].indexOf(want.toString(32)) >= 0;
      }
      if (ok) return true;
    }
    return false;
  }

  /** Evaluate one term: Map doc -> best {score, f, pos, len, verify, pinyin}. */
  function evalTerm(m, cps) {
    var keysText = [];
    if (cps.length === 1) keysText.push("!" + cps[0]);
    for (var i = 0; i + 1 < cps.length; i++) keysText.push(cps[i] + cps[i + 1]);
    var pparses = pinyinParses(cps).map(pinyinConstraints).filter(Boolean).slice(0, 8);
    var keys = keysText.slice();
    pparses.forEach(function (cons) { cons.forEach(function (c) { keys.push(c[0]); }); });
    keys = Array.from(new Set(keys));
    return lookup(m, keys).then(function (post) {
      var best = new Map();
      function offer(doc, r) {
        var o = best.get(doc);
        if (!o || r.score > o.score) best.set(doc, r);
      }
      function bonus(doc, f, pos, len) {
        var b = 0;
        if (pos === 0) b += 3;
        if (f === "t" && pos === 0 && m.tl && parseInt(m.tl[doc], 36) === len) b += 5;
        return b;
      }
      var tcons = keysText.map(function (k, i) { return [k, i]; });
      var fieldsT = cps.length === 1 ? ["t", "n", "k"] : POS_FIELDS;
      positional(post, tcons, fieldsT, function (doc, f, pos) {
        offer(doc, { score: TIER[f] + bonus(doc, f, pos, cps.length), f: f, pos: pos, len: cps.length, verify: false });
      });
      if (cps.length >= 2) {
        var sets = keysText.map(function (k) { return post[k].b; });
        sets.sort(function (a, b) { return a.length - b.length; });
        var cand = sets[0];
        for (var j = 1; j < sets.length && cand.length; j++) {
          var s = new Set(sets[j]);
          cand = cand.filter(function (d) { return s.has(d); });
        }
        var posts = keysText.map(function (k) { return post[k]; });
        cand.forEach(function (doc) {
          if (cps.length > 2 && !residuesAgree(posts, doc)) return;
          offer(doc, { score: TIER.b, f: "b", pos: -1, len: cps.length, verify: cps.length > 2 });
        });
      }
      pparses.forEach(function (cons) {
        var n = cons.n || 1;
        positional(post, cons, ["t", "n", "k"], function (doc, f, pos) {
          offer(doc, { score: TIER[f] - 5 + bonus(doc, f, pos, n), f: f, pos: pos, len: n, verify: false, pinyin: true });
        });
      });
      return best;
    });
  }

  /** Run a query: resolves to {terms, results:[{id, kind, score, matches:[per term]}]}. */
  function search(q) {
    var terms = queryTerms(q);
    if (!terms.length) return Promise.resolve({ terms: [], results: [] });
    return manifest().then(function (m) {
      return Promise.all(terms.map(function (t) { return evalTerm(m, t); })).then(function (maps) {
        var smallest = maps.reduce(function (a, b) { return b.size < a.size ? b : a; });
        var results = [];
        smallest.forEach(function (r0, doc) {
          var ms = [], score = 0;
          for (var i = 0; i < maps.length; i++) {
            var r = maps[i].get(doc);
            if (!r) return;
            ms.push(r); score += r.score;
          }
          /* a session record repeats its lecture's title: the lecture comes first */
          if (m.kinds[doc] === "r") score -= 4;
          results.push({ id: doc, kind: m.kinds[doc], score: score, matches: ms });
        });
        results.sort(function (a, b) { return (b.score - a.score) || (a.id - b.id); });
        return { terms: terms, results: results };
      });
    });
  }

  /* ---------- rendering ---------- */
  function esc(s) {
    return s.replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c];
    });
  }
  /** Ranges [a, b) (UTF-16 offsets in text) where any term occurs. */
  function findRanges(text, terms) {
    var nm = normMap(text), out = [];
    if (!nm.cpAt) {
      nm.cpAt = [];
      var k = 0;
      nm.cps.forEach(function (c) { nm.cpAt.push(k); if (c.length > 1) nm.cpAt.push(k); k++; });
      nm.cpAt.push(k);
    }
    terms.forEach(function (t) {
      var ts = t.join("");
      if (!ts) return;
      var from = 0, idx, count = 0;
      while ((idx = nm.str.indexOf(ts, from)) >= 0 && count++ < 200) {
        var a = nm.cpAt[idx], b = a + t.length;
        out.push([nm.map[a], nm.map[b]]);
        from = idx + ts.length;
      }
    });
    return out;
  }
  function cpRange(text, pos, len) {
    var nm = normMap(text);
    if (pos < 0 || pos >= nm.cps.length) return null;
    return [nm.map[pos], nm.map[Math.min(pos + len, nm.cps.length)]];
  }
  function highlight(text, ranges, start, end) {
    start = start || 0; end = end === undefined ? text.length : end;
    ranges = ranges.filter(function (r) { return r[1] > start && r[0] < end; })
      .sort(function (a, b) { return a[0] - b[0]; });
    var out = "", at = start;
    ranges.forEach(function (r) {
      var a = Math.max(r[0], at), b = Math.min(r[1], end);
      if (b <= a) return;
      out += esc(text.slice(at, a)) + "<mark>" + esc(text.slice(a, b)) + "</mark>";
      at = b;
    });
    return out + esc(text.slice(at, end));
  }
  /** Locate a positional match inside a joined field (parts joined by one separator). */
  function partRange(parts, pos, len) {
    var off = 0;
    for (var i = 0; i < parts.length; i++) {
      if (!parts[i]) continue;
      var n = normMap(parts[i]).cps.length;
      if (pos < off + n) return { i: i, r: cpRange(parts[i], pos - off, len) };
      off += n + 1;
    }
    return null;
  }
  function snippet(d, terms, res) {
    var body = d.b || "";
    var ranges = body ? findRanges(body, terms) : [];
    if (ranges.length) {
      ranges.sort(function (a, b) { return a[0] - b[0]; });
      var s = Math.max(0, ranges[0][0] - 30), e = Math.min(body.length, s + 120);
      return (s > 0 ? "…" : "") + highlight(body, ranges, s, e) + (e < body.length ? "…" : "");
    }
    var hm = res.matches.filter(function (x) { return x.f === "h"; })[0];
    if (hm) {
      var pr = partRange(d.h, hm.pos, hm.len);
      if (pr) return "§ " + highlight(d.h[pr.i], [pr.r]);
    }
    var km = res.matches.filter(function (x) { return x.f === "k"; })[0];
    if (km) {
      var kr = partRange(d.w, km.pos, km.len);
      if (kr) return d.w.map(function (w, i) { return i === kr.i ? highlight(w, [kr.r]) : esc(w); }).join(" · ");
    }
    var text = d.m || body || (d.h || []).join(" · ");
    var cut = text.length > 120 ? text.slice(0, 120) + "…" : text;
    return highlight(cut, findRanges(cut, terms));
  }
  function verify(d, res, terms) {
    var hay = null;
    for (var i = 0; i < res.matches.length; i++) {
      if (!res.matches[i].verify) continue;
      if (hay === null) hay = normalize((d.b || "") + " " + (d.m || ""));
      if (hay.indexOf(terms[i].join("")) < 0) return false;
    }
    return true;
  }
  function pageHref(url) {
    var hash = "", k = url.indexOf("#");
    if (k >= 0) { hash = url.slice(k); url = url.slice(0, k); }
    if (FILE && (url === "" || /\/$/.test(url))) url += "index.html";
    return ROOT + url + hash;
  }
  function renderItem(d, res, terms) {
    var tm = res.matches.filter(function (x) { return x.f === "t"; })[0];
    var tr = findRanges(d.t, terms);
    if (tm && tm.pinyin) { var r = cpRange(d.t, tm.pos, tm.len); if (r) tr.push(r); }
    var nm = res.matches.filter(function (x) { return x.f === "n"; })[0];
    var who = (d.s || []).map(function (s, i) {
      var rr = findRanges(s, terms);
      if (nm && nm.pinyin) { var pr = partRange(d.s, nm.pos, nm.len); if (pr && pr.i === i && pr.r) rr.push(pr.r); }
      return highlight(s, rr);
    }).join("、");
    var meta = [];
    if (who) meta.push('<span class="jt-result__speakers">' + who + "</span>");
    if (d.d) meta.push('<time class="jt-result__date" datetime="' + esc(d.d) + '">' + esc(d.d) + "</time>");
    return '<li class="jt-result" data-kind="' + d.k + '">' +
      '<a class="jt-result__link" href="' + esc(pageHref(d.u)) + '">' +
      '<span class="jt-result__kind jt-kind-' + d.k + '">' + KIND_NAMES[d.k] + "</span> " +
      '<span class="jt-result__title">' + highlight(d.t, tr) + "</span></a>" +
      (meta.length ? '<div class="jt-result__meta">' + meta.join(" · ") + "</div>" : "") +
      '<p class="jt-result__snippet">' + snippet(d, terms, res) + "</p></li>";
  }

  /* ---------- the search page ---------- */
  function initPage(box) {
    var form = document.getElementById("jt-search-form");
    var input = document.getElementById("jt-search-input");
    var typeSel = document.getElementById("jt-search-type");
    var status = document.getElementById("jt-search-status");
    var more = document.getElementById("jt-search-more");
    var params = new URLSearchParams(location.search);
    if (input) input.value = params.get("q") || "";
    if (typeSel && params.get("type")) typeSel.value = params.get("type");
    var seq = 0, state = null, timer = null;

    function setState(s, q) { box.setAttribute("data-state", s); box.setAttribute("data-q", q); }
    function say(text) { if (status) status.textContent = text; }
    function failed(err, q) {
      setState("error", q);
      box.innerHTML = "";
      if (more) more.hidden = true;
      var msg = "搜索暂时无法使用：索引文件没有加载成功。";
      if (FILE) msg += "当前是以本地文件（file://）方式打开的离线包，浏览器可能阻止了读取本地文件。请改用“离线包”中附带的本地服务方式打开，或换用 Chrome、Edge、Firefox 浏览器；也可以按目录浏览讲稿与宣讲员。";
      else msg += "请检查网络或刷新页面后重试。";
      say(msg);
      if (window.console) console.error("jiangtang search:", err);
    }
    function updateUrl(q) {
      try {
        var u = new URL(location.href);
        if (q) u.searchParams.set("q", q); else u.searchParams.delete("q");
        var t = typeSel ? typeSel.value : "";
        if (t) u.searchParams.set("type", t); else u.searchParams.delete("type");
        history.replaceState(null, "", u.toString());
      } catch (e) { /* file:// may refuse; the query still works */ }
    }
    function updateCounts(all) {
      if (!typeSel) return;
      var counts = { l: 0, s: 0, r: 0, p: 0 };
      all.forEach(function (r) { counts[r.kind]++; });
      Array.prototype.forEach.call(typeSel.options, function (o) {
        var base = o.getAttribute("data-label") || o.textContent;
        o.setAttribute("data-label", base);
        var k = KIND_VALUES[o.value];
        o.textContent = base + (state && state.q ? "（" + (k ? counts[k] : all.length) + "）" : "");
      });
    }
    /* Fill the list up to PAGE more verified results. */
    function fill(st) {
      var want = st.shown + PAGE, budget = 2 * PAGE;
      function step() {
        if (st !== state) return Promise.resolve();
        if (st.shown >= want || st.next >= st.list.length) return Promise.resolve();
        /* bound the documents loaded for one page: phrase candidates that fail the
           check cost a download each; the rest waits for "显示更多结果" */
        if (budget <= 0 && st.shown > 0) return Promise.resolve();
        if (budget <= -6 * PAGE) return Promise.resolve();
        var batch = st.list.slice(st.next, st.next + (want - st.shown));
        st.next += batch.length;
        budget -= batch.length;
        return Promise.all(batch.map(function (r) { return docData(r.id, needsBody(r)); })).then(function (ds) {
          if (st !== state) return;
          var html = "";
          ds.forEach(function (d, i) {
            if (!verify(d, batch[i], st.terms)) { st.dropped++; return; }
            html += renderItem(d, batch[i], st.terms);
            st.shown++;
          });
          if (html) st.ol.insertAdjacentHTML("beforeend", html);
          return step();
        });
      }
      return step();
    }
    function finish(st) {
      if (st !== state) return;
      var total = st.list.length - st.dropped;
      var exact = st.next >= st.list.length || !st.list.slice(st.next).some(function (r) {
        return r.matches.some(function (x) { return x.verify; });
      });
      if (!st.shown && st.next < st.list.length) {
        say("前 " + st.next + " 个候选都不含完整的“" + st.q + "”，还有 " + (st.list.length - st.next) + " 个待核对，请点“显示更多结果”继续。");
      } else if (!st.shown) {
        say("没有找到与“" + st.q + "”相关的内容。可以换个说法、减少字数，或用拼音首字母试试。");
        box.innerHTML = '<p class="jt-search-empty">没有找到与“' + esc(st.q) + "”相关的内容。</p>";
      } else {
        say((exact ? "共 " : "约 ") + total + " 条结果" + (st.kind ? "（" + KIND_NAMES[st.kind] + "）" : ""));
      }
      if (more) more.hidden = st.next >= st.list.length;
      st.ms = performance.now() - st.t0;
      window.__jtSearchLast = { q: st.q, ms: st.ms, total: total, shown: st.shown };
      setState("done", st.q);
    }
    function run(t0) {
      var q = input ? input.value.trim() : "";
      var my = ++seq;
      updateUrl(q);
      if (!q) {
        state = null; box.innerHTML = ""; say("输入关键词开始搜索：标题、人名、镇街、正文都可以，也支持拼音和首字母。");
        if (more) more.hidden = true; updateCounts([]); setState("idle", ""); return;
      }
      setState("loading", q);
      say("正在搜索…");
      search(q).then(function (res) {
        if (my !== seq) return;
        var kind = typeSel ? KIND_VALUES[typeSel.value] || "" : "";
        var list = kind ? res.results.filter(function (r) { return r.kind === kind; }) : res.results;
        box.innerHTML = '<ol class="jt-results"></ol>';
        state = { q: q, terms: res.terms, list: list, all: res.results, kind: kind, shown: 0, next: 0,
          dropped: 0, ol: box.firstChild, t0: t0 };
        updateCounts(res.results);
        var st = state;
        return fill(st).then(function () { finish(st); });
      }).catch(function (err) { if (my === seq) failed(err, q); });
    }
    function schedule(delay) {
      var t0 = performance.now();
      clearTimeout(timer);
      timer = setTimeout(function () { run(t0); }, delay);
    }
    if (form) form.addEventListener("submit", function (e) { e.preventDefault(); schedule(0); });
    if (input) {
      /* a Chinese IME sends input events while composing: wait for the committed word */
      input.addEventListener("input", function (e) { if (!e.isComposing) schedule(60); });
      input.addEventListener("compositionend", function () { schedule(0); });
    }
    if (typeSel) typeSel.addEventListener("change", function () { schedule(0); });
    if (more) more.addEventListener("click", function () {
      var st = state;
      if (!st) return;
      st.t0 = performance.now();
      setState("loading", st.q);
      fill(st).then(function () { finish(st); }).catch(function (err) { failed(err, st.q); });
    });
    run(performance.now());
    if (input && !input.value) {
      input.focus();
      manifest().catch(function () { /* reported when a query needs it */ });
    }
  }

  /* ---------- header box (every page) ---------- */
  function searchPageHref() { return ROOT + "search/" + (FILE ? "index.html" : ""); }
  function initHeader() {
    var form = document.querySelector("form.jt-search-header");
    if (form && form.getAttribute("data-jt-wired")) return;
    if (!form) {
      var inner = document.querySelector(".md-header__inner");
      if (!inner) return;
      form = document.createElement("form");
      form.className = "jt-search-header";
      form.setAttribute("role", "search");
      form.innerHTML = '<input type="search" name="q" class="jt-search-header__input" placeholder="搜索讲稿、宣讲员、拼音" aria-label="站内搜索" autocomplete="off">' +
        '<button type="submit" class="jt-search-header__button" aria-label="搜索">搜索</button>';
      var anchor = inner.querySelector(".md-header__source");
      inner.insertBefore(form, anchor);
    }
    form.setAttribute("data-jt-wired", "1");
    form.setAttribute("action", searchPageHref());
    form.setAttribute("method", "get");
    var box = form.querySelector("input[name=q]");
    var pageInput = document.getElementById("jt-search-input");
    if (box && pageInput) box.value = pageInput.value;
    form.addEventListener("submit", function (e) {
      if (pageInput) {
        e.preventDefault();
        pageInput.value = box.value;
        pageInput.dispatchEvent(new Event("input"));
        pageInput.focus();
        return;
      }
      if (FILE) { /* file:// drops nothing, but build the URL ourselves to keep index.html */
        e.preventDefault();
        location.href = searchPageHref() + "?q=" + encodeURIComponent(box.value);
      }
    });
  }

  function boot() {
    var box = document.getElementById("search-results");
    if (box) initPage(box);
    initHeader();
  }
  window.jtSearch = { search: search, normalize: normalize, root: ROOT };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
  /* Material's instant navigation replaces the page without reloading scripts. */
  if (window.document$ && window.document$.subscribe) {
    var firstSeen = false;
    window.document$.subscribe(function () { if (firstSeen) boot(); firstSeen = true; });
  }
})();

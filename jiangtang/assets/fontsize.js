/* jiangtang: font-size switch for older readers (大字 / 标准字).
 * Adds a button to the header; the choice is kept in localStorage
 * ("jt-fontsize": "large" | "normal") and applied on every page by the
 * inline script of theme/partials/jt_fontsize.html before painting.
 * Also remembers the site root ("jt-root") for the 404 page at any depth. */
(function () {
  "use strict";
  var KEY = "jt-fontsize";
  var root = document.documentElement;

  function store(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* private mode: not remembered */ }
  }

  var me = document.currentScript;
  if (me && me.src && location.protocol !== "file:") {
    var base = new URL("../../", me.src).pathname; // this file is assets/jiangtang/fontsize.js
    store("jt-root", base);
  }

  function render(button) {
    var large = root.classList.contains("jt-large");
    button.setAttribute("aria-pressed", large ? "true" : "false");
    button.textContent = large ? "标准字" : "大字";
    button.title = large ? "恢复标准字号" : "放大页面文字";
  }

  function init() {
    var header = document.querySelector(".md-header__inner");
    if (!header || header.querySelector(".jt-fontsize")) return;
    var button = document.createElement("button");
    button.type = "button";
    button.className = "jt-fontsize md-header__button";
    render(button);
    button.addEventListener("click", function () {
      var large = !root.classList.contains("jt-large");
      root.classList.toggle("jt-large", large);
      store(KEY, large ? "large" : "normal");
      render(button);
    });
    var search = header.querySelector(".jt-search-header");
    header.insertBefore(button, search ? search.nextSibling : null);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", init);
  else init();
})();

// Marks the quoted passage a citation points to (the highlighted <mark>s
// that belong to the anchor in the address), so a reader sees which of the
// highlighted passages the citation meant. Without JavaScript every quoted
// passage is still highlighted and the browser still scrolls to the anchor.
(function () {
  function markCurrent() {
    var current = document.querySelectorAll("mark.kb-current");
    for (var i = 0; i < current.length; i++) current[i].classList.remove("kb-current");
    var id = decodeURIComponent(location.hash.slice(1));
    if (!/^q-[0-9a-f]+$/.test(id)) return;
    var marks = document.querySelectorAll("mark.kb-quote");
    for (var j = 0; j < marks.length; j++) {
      if ((" " + marks[j].getAttribute("data-quotes") + " ").indexOf(" " + id + " ") >= 0) {
        marks[j].classList.add("kb-current");
      }
    }
  }
  window.addEventListener("hashchange", markCurrent);
  if (window.document$) { window.document$.subscribe(markCurrent); } else { markCurrent(); }
})();

// Material's search is a role="dialog" without a name (axe: aria-dialog-name): give it one.
(function () {
  var search = document.querySelector(".md-search[role=dialog]");
  if (search && !search.hasAttribute("aria-label")) search.setAttribute("aria-label", "Search");
})();

// Flash the cited passage when a highlight link is followed, so the reader sees where the quote sits.
document.addEventListener("click", function (ev) {
  var link = ev.target.closest ? ev.target.closest("a[href^='#p-']") : null;
  if (!link) { return; }
  var target = document.getElementById(link.getAttribute("href").slice(1));
  if (!target) { return; }
  if (target.classList.contains("alias") && target.nextElementSibling) { target = target.nextElementSibling; }
  var doc = target.closest("details");
  if (doc) { doc.open = true; }
  target.classList.add("flash");
  window.setTimeout(function () { target.classList.remove("flash"); }, 2500);
});

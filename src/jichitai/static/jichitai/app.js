// The product's own script (the Content-Security-Policy forbids inline script and event handlers).
// A <select class="submit-on-change"> sends its form when a choice is made (the language switch).
document.addEventListener("change", (event) => {
  const target = event.target;
  if (target instanceof HTMLSelectElement && target.classList.contains("submit-on-change") && target.form) {
    target.form.submit();
  }
});

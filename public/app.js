// Progressive enhancement only: every page works without it.
document.addEventListener('click', (ev) => {
  const btn = ev.target instanceof Element ? ev.target.closest('[data-copy]') : null;
  if (!btn) return;
  const text = btn.getAttribute('data-copy') || '';
  navigator.clipboard?.writeText(text).then(() => {
    const was = btn.textContent;
    btn.textContent = 'copied';
    setTimeout(() => (btn.textContent = was), 1200);
  });
});

// Ctrl+Enter (Cmd+Enter on a Mac) in a text box submits its form, as in most consoles' query boxes.
document.addEventListener('keydown', (ev) => {
  if (ev.key !== 'Enter' || !(ev.ctrlKey || ev.metaKey)) return;
  const box = ev.target instanceof HTMLTextAreaElement ? ev.target : null;
  if (!box || !box.form) return;
  ev.preventDefault();
  box.form.requestSubmit();
});

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

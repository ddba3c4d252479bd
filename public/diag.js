// /diag: refresh while the tab is visible, carrying "since" = the last render
// that was actually seen, so the page marks what changed since the last look.
// A tab left hidden does not refresh; coming back refreshes at once.
(() => {
  const head = document.querySelector('[data-diag-refresh]');
  if (!head) return;
  const every = Math.max(5, Number(head.getAttribute('data-diag-refresh')) || 15) * 1000;
  const renderedAt = head.getAttribute('data-diag-now') || '';
  const previous = head.getAttribute('data-diag-since') || '';
  let seen = document.visibilityState === 'visible';

  function reload() {
    const url = new URL(window.location.href);
    const since = seen ? renderedAt : previous || renderedAt;
    if (since) url.searchParams.set('since', since);
    window.location.replace(url.toString());
  }

  setInterval(() => {
    if (document.visibilityState === 'visible') reload();
  }, every);
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') {
      if (seen) reload();
      seen = true;
    }
  });
})();

// Series summary webview: turns clicks on findings and patch titles into
// messages for the extension, which opens the line.  Sends back only the
// numeric data-loc index the extension wrote; never mail text.
(function () {
  const vscode = acquireVsCodeApi();
  function go(el) {
    const loc = Number(el.dataset.loc);
    if (Number.isInteger(loc)) vscode.postMessage({ type: 'reveal', loc: loc });
  }
  document.addEventListener('click', (e) => {
    const el = e.target instanceof Element ? e.target.closest('a.goto') : null;
    if (el) { e.preventDefault(); go(el); }
  });
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && e.target instanceof Element && e.target.matches('a.goto')) go(e.target);
  });
  window.scrollTo(0, 0);
  vscode.postMessage({ type: 'ready' });
})();

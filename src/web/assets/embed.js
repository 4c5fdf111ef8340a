// Inside the embeddable map's frame: tell the host page our height (the <maillage-carte>
// web component resizes its iframe), and keep the frame's own links in the frame. Links to
// places open Maillage in a new tab through <base target="_blank">.

if (window.parent !== window) {
  let last = 0;
  const send = () => {
    const height = Math.ceil(document.documentElement.scrollHeight);
    if (height === last) return;
    last = height;
    // Only a height is sent, so any host may read it.
    window.parent.postMessage({ type: 'maillage:hauteur', hauteur: height }, '*');
  };
  new ResizeObserver(send).observe(document.body);
  window.addEventListener('load', send);
  send();
}

// Paging and "widen the search" stay in the frame (they lead to /embed/carte again).
document.addEventListener('click', (event) => {
  const link = event.target.closest?.('a[href]');
  if (link && new URL(link.href, window.location.href).pathname === window.location.pathname) link.target = '_self';
});

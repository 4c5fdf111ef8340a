// <maillage-carte territoire="departement:35" reseau="France Services" titre="…"></maillage-carte>
// The web component of Maillage's embeddable map, for any site: it inserts the iframe of
// /embed/carte with its attributes as parameters, and sets the frame's height from the
// messages the frame sends. A classic script (no module, no CORS): it finds Maillage's
// address from its own src. Whatever the element holds (a link) is the no-script fallback.
(() => {
  const script = document.currentScript;
  const origin = new URL(script ? script.src : '/', window.location.href).origin;
  const PARAMS = ['territoire', 'reseau', 'structure_parente', 'source', 'titre', 'logo', 'couleur'];

  class MaillageCarte extends HTMLElement {
    static get observedAttributes() {
      return PARAMS;
    }

    connectedCallback() {
      this.render();
    }

    attributeChangedCallback() {
      if (this.isConnected) this.render();
    }

    render() {
      const params = new URLSearchParams();
      for (const name of PARAMS) {
        const value = this.getAttribute(name);
        if (value) params.set(name, value);
      }
      const query = params.toString();
      const src = `${origin}/embed/carte${query ? `?${query}` : ''}`;
      let frame = this.querySelector('iframe');
      if (!frame) {
        frame = document.createElement('iframe');
        frame.setAttribute('loading', 'lazy');
        frame.setAttribute('allow', 'geolocation');
        frame.style.border = '0';
        frame.style.width = '100%';
        frame.style.height = '800px';
        frame.style.display = 'block';
        this.replaceChildren(frame);
      }
      frame.title = `${this.getAttribute('titre') || 'Lieux d’aide au numérique'} - Maillage`;
      if (frame.getAttribute('src') !== src) frame.src = src;
    }
  }

  window.addEventListener('message', (event) => {
    if (event.origin !== origin || !event.data || event.data.type !== 'maillage:hauteur') return;
    const height = Number(event.data.hauteur);
    if (!Number.isFinite(height)) return;
    for (const frame of document.querySelectorAll('maillage-carte iframe')) {
      if (frame.contentWindow === event.source) frame.style.height = `${Math.min(Math.max(height, 300), 10000)}px`;
    }
  });

  if (!customElements.get('maillage-carte')) customElements.define('maillage-carte', MaillageCarte);
})();

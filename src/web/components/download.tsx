// DSFR "téléchargement de fichier": the link text says the format and what it holds.
export function Download(p: { href: string; label: string; detail: string }) {
  return (
    <div class="fr-download">
      <p>
        <a href={p.href} download class="fr-download__link">
          {p.label}
          <span class="fr-download__detail">{p.detail}</span>
        </a>
      </p>
    </div>
  );
}

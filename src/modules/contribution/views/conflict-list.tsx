import { Button } from '../../../web/components/button.tsx';
import type { OpenConflict } from '../conflicts.use-cases.ts';

// Open import conflicts of a place, each with its two decisions (plain POST forms, no script).

export function ConflictList(p: { conflicts: OpenConflict[]; csrf: string; back: 'modifier' | 'liste'; headingLevel?: 2 | 3 }) {
  if (p.conflicts.length === 0) return null;
  const Heading = p.headingLevel === 3 ? 'h3' : 'h2';
  return (
    <section class="fr-mb-4w" aria-labelledby={`conflits-${p.conflicts[0]!.lieu_id}`}>
      <Heading id={`conflits-${p.conflicts[0]!.lieu_id}`} class="fr-h5">
        {p.conflicts.length > 1 ? `${p.conflicts.length} sources indiquent d’autres valeurs` : 'Une source indique une autre valeur'}
      </Heading>
      {p.conflicts.map((c) => (
        <div class="fr-alert fr-alert--warning fr-alert--sm fr-mb-2w maillage-conflit">
          <p id={`conflit-${c.id}`}>
            La source « {c.source} » indique une autre valeur pour « {c.label} » : <strong>{c.source_value ?? '(vide)'}</strong>. Votre valeur est conservée :{' '}
            <strong>{c.kept_value ?? '(vide)'}</strong>.
          </p>
          <form method="post" action={`/compte/lieux/${c.lieu_id}/conflits/${c.id}`} class="fr-mt-1w">
            <input type="hidden" name="_csrf" value={p.csrf} />
            <input type="hidden" name="retour" value={p.back} />
            <ul class="fr-btns-group fr-btns-group--inline-sm fr-btns-group--sm">
              <li>
                <Button kind="secondary" name="decision" value="garder" attrs={{ 'aria-describedby': `conflit-${c.id}` }}>
                  Garder ma valeur
                </Button>
              </li>
              <li>
                <Button kind="tertiary" name="decision" value="reprendre" attrs={{ 'aria-describedby': `conflit-${c.id}` }}>
                  Reprendre la valeur de la source
                </Button>
              </li>
            </ul>
          </form>
        </div>
      ))}
    </section>
  );
}

// A place's postal address as the post office writes it: street, complement, postal code and commune.
export function PostalAddress(p: { lieu: { adresse?: string | null; complement_adresse?: string | null; code_postal?: string | null; commune?: string | null }; class?: string }) {
  const { lieu } = p;
  return (
    <address class={p.class}>
      {lieu.adresse}
      <br />
      {lieu.complement_adresse ? (
        <>
          {lieu.complement_adresse}
          <br />
        </>
      ) : null}
      {lieu.code_postal} {lieu.commune}
    </address>
  );
}

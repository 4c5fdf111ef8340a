import { encode } from 'uqr';

// A QR code of a URL drawn as one SVG path (made on the server, no network, no script):
// the person scans it to open the place page on a phone. The URL is printed beside it,
// so the code only repeats information that is there in words.

export function QrCode({ url, size = 112 }: { url: string; size?: number }) {
  // Quiet zone of 4 modules, as scanners expect.
  const { data, size: modules } = encode(url, { ecc: 'M', border: 4 });
  let d = '';
  data.forEach((row, y) => {
    row.forEach((dark, x) => {
      if (dark) d += `M${x} ${y}h1v1h-1z`;
    });
  });
  return (
    <svg
      class="orientation-qr"
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${modules} ${modules}`}
      width={size}
      height={size}
      shape-rendering="crispEdges"
      aria-hidden="true"
      focusable="false"
    >
      <rect width={modules} height={modules} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}

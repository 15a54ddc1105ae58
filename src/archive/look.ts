// How signatures and seals look on the page: sizes an office may change (official-format.md §5), in one place.

const MM = 72 / 25.4;

export interface SignatureLook {
  /** Width of the box the signer's image is fitted into, centred in the signature space (mm). */
  signatureImageWidthMm: number;
  /** Diameter of the organisation's seal, printed at true size (mm). */
  sealDiameterMm: number;
  /** Share of the signer's image the seal covers, on its left side (about 1/3). */
  sealOverlap: number;
  /** Size of the text in a signature appearance without an image (Times New Roman 10). */
  textSize: number;
}

export const DEFAULT_LOOK: SignatureLook = {
  signatureImageWidthMm: 50,
  sealDiameterMm: 36,
  sealOverlap: 1 / 3,
  textSize: 10,
};

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export function mm(value: number): number {
  return value * MM;
}

/** The box, centred in a signature space, that the signer's image is fitted into. */
export function signatureImageBox(area: Rect, look: SignatureLook = DEFAULT_LOOK): Rect {
  const width = Math.min(area.width, mm(look.signatureImageWidthMm));
  return { x: area.x + (area.width - width) / 2, y: area.y, width, height: area.height };
}

/** Where the seal goes: true size, vertically centred on the signer's image, covering its left `sealOverlap`. */
export function sealRect(signerArea: Rect, look: SignatureLook = DEFAULT_LOOK): Rect {
  const image = signatureImageBox(signerArea, look);
  const d = mm(look.sealDiameterMm);
  const right = image.x + image.width * look.sealOverlap;
  return { x: right - d, y: image.y + image.height / 2 - d / 2, width: d, height: d };
}

import sharp from "sharp";

/** Decoding limit: larger images are refused before they are decompressed (a decompression bomb guard). */
export const MAX_INPUT_PIXELS = 50_000_000;
/** The longest side of a stored image. */
export const MAX_DIMENSION = 4096;
export const THUMB_WIDTH = 320;

export interface ReencodedImage {
  mime: "image/jpeg" | "image/png";
  width: number;
  height: number;
}

export class ImageDecodeError extends Error {
  readonly tooManyPixels: boolean;
  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause);
    super(message);
    this.name = "ImageDecodeError";
    this.tooManyPixels = /pixel limit/i.test(message);
  }
}

function open(input: string) {
  return sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: "error", animated: false });
}

/**
 * Decodes and re-encodes an image: applies the EXIF orientation, caps the size, and writes it without any
 * metadata (EXIF, GPS, XMP, IPTC). PNG stays PNG (screenshots, transparency); everything else becomes JPEG.
 */
export async function reencodeImage(input: string, output: string, mime: string): Promise<ReencodedImage> {
  try {
    let img = open(input)
      .rotate()
      .resize({ width: MAX_DIMENSION, height: MAX_DIMENSION, fit: "inside", withoutEnlargement: true });
    const png = mime === "image/png";
    img = png ? img.png() : img.flatten({ background: "#ffffff" }).jpeg({ quality: 85 });
    const info = await img.toFile(output);
    return { mime: png ? "image/png" : "image/jpeg", width: info.width, height: info.height };
  } catch (err) {
    throw new ImageDecodeError(err);
  }
}

/** A small JPEG for galleries, from the already re-encoded image. */
export async function makeThumbnail(input: string, output: string): Promise<void> {
  await open(input)
    .resize({ width: THUMB_WIDTH, withoutEnlargement: true })
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 75 })
    .toFile(output);
}

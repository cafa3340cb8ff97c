// Canvas drawing: rows of digits, the latent map, one decoded digit.
import { PALETTE } from '@aekit/data';

const SIDE = 28;
const PIXELS = SIDE * SIDE;
const GAP = 2;
/** Paper and ink: a pixel of value v is mixed from these two colours. */
const PAPER = [255, 255, 255];
const INK = [17, 24, 39];

function ink(data: Uint8ClampedArray, at: number, value: number): void {
  const v = Math.min(1, Math.max(0, value));
  for (let c = 0; c < 3; c++) data[at + c] = PAPER[c] + (INK[c] - PAPER[c]) * v;
  data[at + 3] = 255;
}

/**
 * Draws rows of digits (each row `columns` digits of 784 values in [0, 1]) on
 * `canvas`, one canvas pixel per image pixel with a thin gap; CSS scales it up.
 */
export function drawDigitRows(canvas: HTMLCanvasElement, rows: Float32Array[], columns: number): void {
  canvas.width = columns * SIDE + (columns - 1) * GAP;
  canvas.height = rows.length * SIDE + (rows.length - 1) * GAP;
  const context = canvas.getContext('2d')!;
  const image = context.createImageData(canvas.width, canvas.height);
  image.data.fill(0); // the gaps stay transparent
  rows.forEach((row, r) => {
    for (let d = 0; d < columns; d++) {
      const x0 = d * (SIDE + GAP);
      const y0 = r * (SIDE + GAP);
      for (let i = 0; i < PIXELS; i++) {
        const at = ((y0 + Math.floor(i / SIDE)) * canvas.width + x0 + (i % SIDE)) * 4;
        ink(image.data, at, row[d * PIXELS + i]);
      }
    }
  });
  context.putImageData(image, 0, 0);
}

/** One digit of 784 values on `canvas`. */
export function drawDigit(canvas: HTMLCanvasElement, pixels: Float32Array): void {
  drawDigitRows(canvas, [pixels], 1);
}

/** The part of the code plane the latent map shows: the prior's N(0, 1) has almost all its mass within ±4. */
export const LATENT_EXTENT = 4;

/** Canvas coordinates of code `(z1, z2)` (z2 up) and back. */
export function latentToCanvas(canvas: HTMLCanvasElement, z: [number, number]): [number, number] {
  const s = canvas.width / (2 * LATENT_EXTENT);
  return [(z[0] + LATENT_EXTENT) * s, (LATENT_EXTENT - z[1]) * s];
}

export function canvasToLatent(canvas: HTMLCanvasElement, x: number, y: number): [number, number] {
  const s = (2 * LATENT_EXTENT) / canvas.width;
  return [x * s - LATENT_EXTENT, LATENT_EXTENT - y * s];
}

/**
 * The latent map: each test digit's 2-D code as a dot coloured by its label,
 * over a light grid, with a cross at `marker` (the walk's position).
 */
export function drawLatentMap(canvas: HTMLCanvasElement, codes: Float32Array | undefined, labels: Uint8Array, marker: [number, number]): void {
  const context = canvas.getContext('2d')!;
  const { width, height } = canvas;
  context.fillStyle = '#fff';
  context.fillRect(0, 0, width, height);
  context.strokeStyle = '#e5e7eb';
  context.lineWidth = 1;
  for (let g = -LATENT_EXTENT; g <= LATENT_EXTENT; g++) {
    const [x, y] = latentToCanvas(canvas, [g, g]);
    context.strokeStyle = g === 0 ? '#9ca3af' : '#e5e7eb';
    context.beginPath();
    context.moveTo(Math.round(x) + 0.5, 0);
    context.lineTo(Math.round(x) + 0.5, height);
    context.moveTo(0, Math.round(y) + 0.5);
    context.lineTo(width, Math.round(y) + 0.5);
    context.stroke();
  }
  if (codes) {
    context.globalAlpha = 0.75;
    for (let i = 0; i < codes.length / 2; i++) {
      const [x, y] = latentToCanvas(canvas, [codes[2 * i], codes[2 * i + 1]]);
      context.fillStyle = PALETTE[labels[i] % PALETTE.length];
      context.beginPath();
      context.arc(x, y, 2.2, 0, 2 * Math.PI);
      context.fill();
    }
    context.globalAlpha = 1;
  }
  const [mx, my] = latentToCanvas(canvas, marker);
  context.strokeStyle = '#111827';
  context.lineWidth = 2;
  context.beginPath();
  context.moveTo(mx - 8, my);
  context.lineTo(mx + 8, my);
  context.moveTo(mx, my - 8);
  context.lineTo(mx, my + 8);
  context.stroke();
}

import { useEffect, useRef } from 'react';
import type { Logo } from '../../../src-common/rpc/schemas.js';
import { base64ToBytes, logoToRgba } from './logo-dither.js';

/** A 1-bit logo drawn dot for dot (black on white), as the printer will print it. */
export function LogoCanvas(props: { logo: Logo; className: string; testId?: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { logo } = props;
  useEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const rgba = logoToRgba({ width: logo.width, height: logo.height, bits: base64ToBytes(logo.bits) });
    ctx.putImageData(new ImageData(new Uint8ClampedArray(rgba), logo.width, logo.height), 0, 0);
  }, [logo]);
  return <canvas ref={ref} width={logo.width} height={logo.height} className={props.className} data-testid={props.testId} />;
}

// `bieumau sign`: PAdES-B-B signature as a new revision; `--prepare` / `--complete` for USB tokens and signing services.
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import type { Command } from 'commander';
import { assembleCms, buildSignedAttributes } from '../../archive/cades.js';
import { readPemCertificates } from '../../archive/chain.js';
import { loadPkcs12 } from '../../archive/pkcs12.js';
import { completeSignature, prepareSignature, signPdf, type ByteRange, type SignOptions } from '../../archive/sign.js';
import { InputError, UsageError, fsProblem } from '../../errors.js';
import { withCommonOptions, type CliContext, type CommonOptions } from '../context.js';

interface SignOpts extends CommonOptions {
  p12?: string;
  out: string;
  reason?: string;
  location?: string;
  image?: string;
  field?: string;
  page?: string;
  rect?: string;
  name?: string;
  post?: string;
  reserve?: string;
  prepare?: boolean;
  complete?: boolean;
  cert?: string;
  chain?: string[];
  state?: string;
  cms?: string;
  signature?: string;
}

/** What `--prepare` leaves for `--complete`, beside the prepared PDF. */
interface PreparedState {
  bieumauSignState: 1;
  field: string;
  time: string;
  byteRange: ByteRange;
  /** SHA-256 (hex) over the ByteRange: the messageDigest a CMS made elsewhere must carry. */
  digest: string;
  /** DER signed attributes (base64) to sign with the token's key, when the certificate was given. */
  signedAttributes?: string;
  certificate?: string;
  chain?: string[];
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (e) {
    throw new InputError('file-unreadable', { vi: `Không đọc được ${what} ${file}: ${fsProblem(e).vi}`, en: `Cannot read ${what} ${file}: ${(e as Error).message}` });
  }
}

/** DER from a DER or PEM (any label) file. */
function derOrPem(bytes: Buffer): Uint8Array {
  const text = bytes.subarray(0, 64).toString('latin1');
  if (!text.includes('-----BEGIN')) return new Uint8Array(bytes);
  const m = /-----BEGIN [^-]+-----([\s\S]*?)-----END/.exec(bytes.toString('latin1'));
  return new Uint8Array(Buffer.from(m?.[1]?.replace(/\s+/g, '') ?? '', 'base64'));
}

function certificates(file: string): Uint8Array[] {
  const bytes = read(file, 'chứng thư / certificate');
  const pem = readPemCertificates(bytes.toString('latin1'));
  return pem.length ? pem : [new Uint8Array(new X509Certificate(bytes).raw)];
}

/** The state file of `--prepare`, checked for the fields `--complete` relies on. */
function readState(file: string): PreparedState {
  const bad = () => new InputError('bad-state', { vi: `${file} không phải tệp trạng thái của sign --prepare.`, en: `${file} is not a sign --prepare state file.` });
  let state: PreparedState;
  try {
    state = JSON.parse(read(file, 'trạng thái / state').toString('utf8')) as PreparedState;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw bad();
  }
  const range = state?.byteRange;
  const rangeOk = Array.isArray(range) && range.length === 4 && range.every((n) => Number.isInteger(n) && n >= 0);
  if (state?.bieumauSignState !== 1 || !rangeOk || typeof state.digest !== 'string' || !/^[0-9a-f]{64}$/i.test(state.digest)) throw bad();
  return state;
}

function parseRect(text: string): { x: number; y: number; width: number; height: number } {
  const n = text.split(',').map((v) => Number(v.trim()));
  if (n.length !== 4 || n.some((v) => !Number.isFinite(v)) || n[2]! <= 0 || n[3]! <= 0) {
    throw new UsageError('bad-rect', { vi: `--rect phải là x,y,rộng,cao (điểm PDF), không phải "${text}".`, en: `--rect must be x,y,width,height in PDF points, not "${text}".` });
  }
  return { x: n[0]!, y: n[1]!, width: n[2]!, height: n[3]! };
}

function signOptions(opts: SignOpts): SignOptions {
  const page = opts.page === undefined ? undefined : Number(opts.page);
  if (page !== undefined && (!Number.isInteger(page) || page < 1)) {
    throw new UsageError('bad-page', { vi: `--page phải là số trang từ 1, không phải "${opts.page}".`, en: `--page must be a page number from 1, not "${opts.page}".` });
  }
  if ((opts.page === undefined) !== (opts.rect === undefined)) {
    throw new UsageError('page-rect', { vi: '--page và --rect phải đi cùng nhau.', en: '--page and --rect go together.' });
  }
  const reserve = opts.reserve === undefined ? undefined : Number(opts.reserve);
  if (reserve !== undefined && (!Number.isInteger(reserve) || reserve < 4096)) {
    throw new UsageError('bad-reserve', { vi: '--reserve phải là số byte ≥ 4096.', en: '--reserve must be a number of bytes ≥ 4096.' });
  }
  return {
    field: opts.field,
    page: page === undefined ? undefined : page - 1,
    rect: opts.rect ? parseRect(opts.rect) : undefined,
    reason: opts.reason,
    location: opts.location,
    name: opts.name,
    post: opts.post,
    image: opts.image ? new Uint8Array(read(opts.image, 'ảnh / image')) : undefined,
    reserve,
  };
}

export function register(program: Command, ctx: CliContext): void {
  withCommonOptions(program.command('sign'))
    .description('ký số PDF (PAdES-B-B, bản sửa đổi gia tăng) / sign a PDF (PAdES-B-B, incremental revision)')
    .argument('<pdf>', 'tệp PDF cần ký / the PDF to sign')
    .requiredOption('--out <file>', 'tệp PDF kết quả / output PDF')
    .option('--p12 <file>', 'khóa và chứng thư PKCS#12; mật khẩu lấy từ biến môi trường BIEUMAU_P12_PASSWORD / PKCS#12 key and certificate; password from BIEUMAU_P12_PASSWORD')
    .option('--field <name>', 'tên trường chữ ký (vd. signer, seal) / signature field name')
    .option('--page <n>', 'trang đặt trường mới (từ 1) / page for a new field (from 1)')
    .option('--rect <x,y,w,h>', 'vị trí trường mới, điểm PDF / new field rectangle in PDF points')
    .option('--image <png>', 'ảnh chữ ký (xanh) hoặc con dấu (đỏ), PNG nền trong suốt / signature or seal image')
    .option('--reason <text>', 'lý do ký / reason')
    .option('--location <text>', 'nơi ký / location')
    .option('--name <text>', 'tên hiển thị (mặc định: CN của chứng thư) / name shown (default: certificate CN)')
    .option('--post <text>', 'chức vụ hiển thị / post shown')
    .option('--reserve <bytes>', 'chỗ dành cho chữ ký (byte) / space reserved for the CMS (bytes)')
    .option('--prepare', 'chỉ chuẩn bị: ghi PDF có chỗ trống và giá trị băm cần ký / prepare only: write the PDF with an empty slot and the digest to sign')
    .option('--cert <pem>', 'với --prepare: chứng thư người ký, để tạo thuộc tính cần ký / with --prepare: signer certificate, to build the attributes to sign')
    .option('--chain <pem>', 'với --prepare: chứng thư trung gian / with --prepare: intermediate certificates (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--complete', 'hoàn tất: nhúng chữ ký làm ở nơi khác / complete: embed a signature made elsewhere')
    .option('--state <file>', 'tệp trạng thái của --prepare (mặc định: <pdf>.sign.json) / state file of --prepare')
    .option('--cms <file>', 'với --complete: CMS tách rời (DER hoặc PEM) / with --complete: detached CMS')
    .option('--signature <file>', 'với --complete: chữ ký thô trên thuộc tính đã chuẩn bị / with --complete: raw signature over the prepared attributes')
    .action(async (input: string, opts: SignOpts) => {
      ctx.useOptions(opts);
      if (opts.prepare && opts.complete) throw new UsageError('prepare-complete', { vi: 'Chọn một trong --prepare hoặc --complete.', en: 'Choose --prepare or --complete, not both.' });
      const pdf = new Uint8Array(read(input, 'PDF'));

      if (opts.complete) {
        const stateFile = opts.state ?? `${input}.sign.json`;
        const state = readState(stateFile);
        let cms: Uint8Array;
        if (opts.cms) cms = derOrPem(read(opts.cms, 'CMS'));
        else if (opts.signature) {
          if (!state.signedAttributes || !state.certificate) {
            throw new UsageError('no-attributes', { vi: 'Chữ ký thô cần --prepare có --cert.', en: 'A raw signature needs a --prepare run with --cert.' });
          }
          cms = assembleCms({
            signedAttributes: new Uint8Array(Buffer.from(state.signedAttributes, 'base64')),
            signature: new Uint8Array(read(opts.signature, 'chữ ký / signature')),
            certificate: new Uint8Array(Buffer.from(state.certificate, 'base64')),
            chain: (state.chain ?? []).map((c) => new Uint8Array(Buffer.from(c, 'base64'))),
          });
        } else throw new UsageError('no-cms', { vi: '--complete cần --cms hoặc --signature.', en: '--complete needs --cms or --signature.' });
        // Checked before anything is written: the CMS must carry the prepared digest and verify with the signer's key.
        const certificate = state.certificate ? new Uint8Array(Buffer.from(state.certificate, 'base64')) : undefined;
        const out = completeSignature(pdf, state.byteRange, cms, new Uint8Array(Buffer.from(state.digest, 'hex')), { certificate });
        fs.writeFileSync(opts.out, out);
        ctx.out(ctx.t(`Đã ký trường "${state.field}": ${opts.out}`, `Signed field "${state.field}": ${opts.out}`));
        return;
      }

      const sopts = signOptions(opts);
      if (opts.prepare) {
        const certs = opts.cert ? certificates(opts.cert) : [];
        const chain = [...certs.slice(1), ...(opts.chain ?? []).flatMap(certificates)];
        const certificate = certs[0];
        const prepared = await prepareSignature(pdf, { certificate, chain }, sopts);
        const signedAttributes = certificate ? buildSignedAttributes(prepared.digest, certificate) : undefined;
        const state: PreparedState = {
          bieumauSignState: 1,
          field: prepared.field,
          time: prepared.time.toISOString(),
          byteRange: prepared.byteRange,
          digest: Buffer.from(prepared.digest).toString('hex'),
          ...(signedAttributes && certificate
            ? { signedAttributes: Buffer.from(signedAttributes).toString('base64'), certificate: Buffer.from(certificate).toString('base64'), chain: chain.map((c) => Buffer.from(c).toString('base64')) }
            : {}),
        };
        fs.writeFileSync(opts.out, prepared.pdf);
        const stateFile = opts.state ?? `${opts.out}.sign.json`;
        fs.writeFileSync(stateFile, `${JSON.stringify(state, null, 2)}\n`);
        ctx.out(ctx.t(`Đã chuẩn bị ${opts.out} (trạng thái: ${stateFile})`, `Prepared ${opts.out} (state: ${stateFile})`));
        ctx.out(`sha256 ByteRange: ${state.digest}`);
        if (signedAttributes) ctx.out(`signedAttributes (DER, base64): ${state.signedAttributes}`);
        return;
      }

      if (!opts.p12) throw new UsageError('no-p12', { vi: 'Cần --p12 (hoặc --prepare để ký bằng thiết bị khác).', en: 'Needs --p12 (or --prepare to sign with another device).' });
      const password = process.env.BIEUMAU_P12_PASSWORD;
      if (password === undefined) {
        throw new UsageError('no-password', { vi: 'Đặt mật khẩu tệp PKCS#12 vào biến môi trường BIEUMAU_P12_PASSWORD (không truyền trên dòng lệnh).', en: 'Put the PKCS#12 password in the environment variable BIEUMAU_P12_PASSWORD (never on the command line).' });
      }
      const credentials = loadPkcs12(new Uint8Array(read(opts.p12, 'PKCS#12')), password);
      const signed = await signPdf(pdf, credentials, sopts);
      fs.writeFileSync(opts.out, signed.pdf);
      ctx.out(ctx.t(`Đã ký trường "${signed.field}": ${opts.out}`, `Signed field "${signed.field}": ${opts.out}`));
    });
}

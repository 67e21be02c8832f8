/**
 * CommerceML 2 (1C's exchange format): import.xml (classifier groups and the catalog of products)
 * and offers.xml (price types, and per offer its prices and stock) → products in the till's units,
 * with per-item issues like the tabular path. Read with a streaming SAX parser: no tree of a 50 MB
 * file in memory, no DTD and so no entity expansion, nesting depth and text length bounded.
 */
import { SaxesParser } from 'saxes';
import type { ErrorDetails } from '../../src-common/errors.js';
import type { Minor, Qty } from '../../src-common/units.js';
import { assertEightBitText, decodeText, detectEncoding, type TextEncoding } from './decode.js';
import { ImportFileError, issue, MISSING_CODE, type ImportField, type ImportIssue, type RowIssueCode } from './errors.js';
import { checkBarcode, normalizeLabel, parseAmount, parseQuantity, parseUnit, parseVat, splitBarcodes, type Unit, type VatTable } from './fields.js';

export type CmlFile = 'import.xml' | 'offers.xml';

export interface CmlLimits {
  maxBytes: number;
  /** Element nesting; CommerceML needs about ten levels, nested groups a few more. */
  maxDepth: number;
  /** Characters of one element's text; longer refuses its item. */
  maxTextChars: number;
}

export const DEFAULT_CML_LIMITS: CmlLimits = { maxBytes: 50 * 1024 * 1024, maxDepth: 64, maxTextChars: 10_000 };

export interface PriceType {
  id: string;
  name: string;
  currency: string | null;
}

export interface CmlProduct {
  /** 1C's Ид (the offer's, "product#variant", for a variant). */
  id: string;
  source: CmlFile;
  /** Line of the Товар (or Предложение) element in `source`. */
  line: number;
  name: string;
  sku: string | null;
  barcodes: string[];
  unit: Unit | null;
  vatCode: string | null;
  /** The product's own group and the path to it from the top of the classifier. */
  group: string | null;
  groupPath: string[];
  /** Kopecks, for the chosen price type; null when the offer has none (or there is no offers.xml). */
  price: Minor | null;
  /** Thousandths. */
  qty: Qty | null;
}

export interface CmlOptions {
  vat: VatTable;
  /** The price type to take, by Ид or by Наименование ("Розничная"); optional when offers.xml has exactly one. */
  priceType?: { id?: string; name?: string };
  defaultVatCode?: string | null;
  /** Fields an item must have; `name` always. */
  required?: readonly ImportField[];
  limits?: Partial<CmlLimits>;
  /** Items read so far. */
  onProgress?: (itemsRead: number) => void;
}

export interface CmlResult {
  products: CmlProduct[];
  issues: ImportIssue[];
  priceTypes: PriceType[];
  priceType: PriceType | null;
  /** Items looked at (products and offers merged), refused, and skipped as deleted in 1C. */
  total: number;
  rejected: number;
  deleted: number;
}

// ── Streaming XML with limits ────────────────────────────────────────────────────────────────

interface Walker {
  open(name: string, attrs: Record<string, string>, path: readonly string[], line: number): void;
  /** `path` still ends with `name`; `overflow` when the text was longer than the limit (cut). */
  close(name: string, text: string, path: readonly string[], overflow: boolean): void;
}

const XML_CHUNK = 512 * 1024;
const ROOT = 'КоммерческаяИнформация';

function declaredEncoding(bytes: Uint8Array): TextEncoding | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const m = /^(\uFEFF|ï»¿)?\s*<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  if (!m) return null;
  const enc = (m[2] ?? '').toLowerCase();
  if (enc === 'utf-8' || enc === 'utf8') return 'utf-8';
  if (['windows-1251', 'cp1251', 'win-1251', 'x-cp1251', 'cp-1251'].includes(enc)) return 'windows-1251';
  throw new ImportFileError('file_encoding', `the XML file is in ${enc}: only UTF-8 and Windows-1251 are read`, { encoding: enc });
}

async function walkXml(bytes: Uint8Array, file: CmlFile, limits: CmlLimits, walker: Walker): Promise<void> {
  if (bytes.length === 0) throw new ImportFileError('file_empty', `${file} is empty`, { file });
  if (bytes.length > limits.maxBytes) throw new ImportFileError('file_too_large', `${file} is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`, { file, size: bytes.length, limit: limits.maxBytes });
  assertEightBitText(bytes, file);
  const encoding = declaredEncoding(bytes) ?? detectEncoding(bytes);
  let text: string;
  try {
    text = decodeText(bytes, encoding);
  } catch {
    throw new ImportFileError('file_encoding', `${file} is not valid ${encoding}`, { file, encoding });
  }
  if (!text.trimStart().startsWith('<')) throw new ImportFileError('file_format', `${file} is not an XML file`, { file, detected: 'not xml' });

  const parser = new SaxesParser<{ xmlns: false; position: boolean; fileName: string }>({ xmlns: false, position: true, fileName: file });
  const path: string[] = [];
  let buf = '';
  let overflow = false;
  parser.on('doctype', () => {
    // CommerceML has no DTD; one here can only declare entities (the "billion laughs").
    throw new ImportFileError('file_format', `${file} declares a DOCTYPE, which CommerceML never has`, { file, reason: 'doctype' });
  });
  parser.on('opentag', (tag) => {
    if (path.length === 0 && tag.name !== ROOT) {
      throw new ImportFileError('file_format', `${file} is not a CommerceML file (the root is <${tag.name}>)`, { file, root: tag.name.slice(0, 60) });
    }
    path.push(tag.name);
    if (path.length > limits.maxDepth) throw new ImportFileError('file_format', `${file} is nested deeper than ${limits.maxDepth} levels`, { file, reason: 'depth', limit: limits.maxDepth });
    buf = '';
    overflow = false;
    walker.open(tag.name, tag.attributes, path, parser.line);
  });
  const onText = (t: string): void => {
    if (overflow) return;
    if (buf.length + t.length > limits.maxTextChars) {
      overflow = true;
      buf += t.slice(0, limits.maxTextChars - buf.length);
    } else buf += t;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', (tag) => {
    walker.close(tag.name, buf, path, overflow);
    path.pop();
    buf = '';
    overflow = false;
  });
  try {
    for (let i = 0; i < text.length; i += XML_CHUNK) {
      parser.write(text.slice(i, i + XML_CHUNK));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    parser.close();
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    throw new ImportFileError('file_damaged', `${file} is damaged: it is not well-formed XML`, { file, reason: (e instanceof Error ? e.message : String(e)).slice(0, 200) });
  }
}

// ── import.xml ───────────────────────────────────────────────────────────────────────────────

interface RawItem {
  id: string;
  line: number;
  source: CmlFile;
  name: string;
  sku: string;
  barcodes: string[];
  unitText: string;
  unitCode: string;
  vatText: string;
  groupIds: string[];
  deleted: boolean;
  overflow: ImportField[];
}

interface RawOffer extends RawItem {
  prices: { typeId: string; amount: string; factor: string }[];
  qtyText: string;
  stockTexts: string[];
}

function newItem(line: number, source: CmlFile, attrs: Record<string, string>): RawItem {
  return { id: '', line, source, name: '', sku: '', barcodes: [], unitText: '', unitCode: '', vatText: '', groupIds: [], deleted: /удален/i.test(attrs['Статус'] ?? ''), overflow: [] };
}

/** Direct children of an item shared by Товар and Предложение. */
function itemField(item: RawItem, name: string, text: string, attrsOf: Record<string, string> | undefined, overflow: boolean): void {
  const t = text.trim();
  const mark = (f: ImportField): void => {
    if (overflow) item.overflow.push(f);
  };
  switch (name) {
    case 'Ид':
      item.id = t;
      break;
    case 'Наименование':
      item.name = t;
      mark('name');
      break;
    case 'Артикул':
      item.sku = t;
      mark('sku');
      break;
    case 'Штрихкод':
      item.barcodes.push(...splitBarcodes(t));
      mark('barcode');
      break;
    case 'БазоваяЕдиница':
      item.unitText = t || attrsOf?.['НаименованиеКраткое'] || attrsOf?.['МеждународноеСокращение'] || '';
      item.unitCode = attrsOf?.['Код'] ?? '';
      break;
    case 'Статус':
      if (/удален/i.test(t)) item.deleted = true;
      break;
    case 'ПометкаУдаления':
      if (t === 'true') item.deleted = true;
      break;
    default:
      break;
  }
}

interface Collected {
  groups: Map<string, { name: string; parent: string | null }>;
  products: RawItem[];
  priceTypes: PriceType[];
  offers: RawOffer[];
}

function collector(file: CmlFile, into: Collected, onItem: () => void): Walker {
  let item: RawItem | null = null;
  let offer: RawOffer | null = null;
  const groupStack: { id: string; name: string }[] = [];
  let priceType: PriceType | null = null;
  let pair: { name: string; value: string } | null = null;
  let price: { typeId: string; amount: string; factor: string } | null = null;
  // Attributes of the element being read, for БазоваяЕдиница (text and attributes both matter).
  const attrStack: Record<string, string>[] = [];
  return {
    open(name, attrs, path, line) {
      attrStack.push(attrs);
      const parent = path[path.length - 2];
      if (name === 'Группа' && path[1] === 'Классификатор' && !item) groupStack.push({ id: '', name: '' });
      else if (name === 'Товар' && parent === 'Товары') item = newItem(line, file, attrs);
      else if (name === 'ТипЦены' && parent === 'ТипыЦен') priceType = { id: '', name: '', currency: null };
      else if (name === 'Предложение' && parent === 'Предложения') {
        offer = { ...newItem(line, file, attrs), prices: [], qtyText: '', stockTexts: [] };
      } else if ((name === 'ЗначениеРеквизита' || name === 'СтавкаНалога') && (item || offer)) pair = { name: '', value: '' };
      else if (name === 'Цена' && parent === 'Цены' && offer) price = { typeId: '', amount: '', factor: '' };
      else if (name === 'Склад' && offer && attrs['КоличествоНаСкладе'] !== undefined) offer.stockTexts.push(attrs['КоличествоНаСкладе']);
    },
    close(name, text, path, overflow) {
      const attrs = attrStack.pop();
      const parent = path[path.length - 2];
      const grand = path[path.length - 3];
      const t = text.trim();
      const current = offer ?? item;
      if (current) {
        if (name === 'Товар' && item) {
          into.products.push(item);
          item = null;
          onItem();
        } else if (name === 'Предложение' && offer) {
          into.offers.push(offer);
          offer = null;
          onItem();
        } else if (parent === 'Товар' || parent === 'Предложение') {
          if (name === 'Количество' && offer) offer.qtyText = t;
          else itemField(current, name, text, attrs, overflow);
        } else if (name === 'Ид' && parent === 'Группы' && (grand === 'Товар' || grand === 'Предложение')) current.groupIds.push(t);
        else if (pair && (parent === 'ЗначениеРеквизита' || parent === 'СтавкаНалога')) {
          if (name === 'Наименование') pair.name = t;
          else if (name === 'Значение' || name === 'Ставка') pair.value = pair.value ? `${pair.value},${t}` : t;
        } else if (pair && name === 'ЗначениеРеквизита') {
          const key = normalizeLabel(pair.name);
          if (key === 'штрихкод' || key === 'штрихкоды' || key === 'штрих код') current.barcodes.push(...splitBarcodes(pair.value));
          else if ((key === 'ставка ндс' || key === 'ставкандс') && !current.vatText) current.vatText = pair.value;
          pair = null;
        } else if (pair && name === 'СтавкаНалога') {
          if (pair.name === '' || /ндс|vat/i.test(pair.name)) current.vatText = pair.value;
          pair = null;
        } else if (price && offer && parent === 'Цена') {
          if (name === 'ИдТипаЦены') price.typeId = t;
          else if (name === 'ЦенаЗаЕдиницу') price.amount = t;
          else if (name === 'Коэффициент') price.factor = t;
        } else if (price && offer && name === 'Цена') {
          offer.prices.push(price);
          price = null;
        } else if (offer && name === 'Количество' && (parent === 'Остаток' || parent === 'Склад') && path.includes('Остатки')) offer.stockTexts.push(t);
        return;
      }
      const group = groupStack[groupStack.length - 1];
      if (group && parent === 'Группа') {
        if (name === 'Ид') group.id = t;
        else if (name === 'Наименование') group.name = t;
      } else if (group && name === 'Группа') {
        groupStack.pop();
        const up = groupStack[groupStack.length - 1];
        if (group.id) into.groups.set(group.id, { name: group.name, parent: up?.id || null });
      } else if (priceType && parent === 'ТипЦены') {
        if (name === 'Ид') priceType.id = t;
        else if (name === 'Наименование') priceType.name = t;
        else if (name === 'Валюта') priceType.currency = t || null;
      } else if (priceType && name === 'ТипЦены') {
        if (priceType.id) into.priceTypes.push(priceType);
        priceType = null;
      }
    },
  };
}

function isOne(factor: string): boolean {
  const f = parseQuantity(factor);
  return f.ok && f.value === 1000;
}

function limitsOf(opts: { limits?: Partial<CmlLimits> }): CmlLimits {
  return { ...DEFAULT_CML_LIMITS, ...opts.limits };
}

/** The price types offers.xml declares, for the screen where the person picks one. */
export async function listPriceTypes(offersXml: Uint8Array, limits?: Partial<CmlLimits>): Promise<PriceType[]> {
  const into: Collected = { groups: new Map(), products: [], priceTypes: [], offers: [] };
  await walkXml(offersXml, 'offers.xml', limitsOf({ limits }), collector('offers.xml', into, () => {}));
  return into.priceTypes;
}

function samePriceTypeName(a: string, b: string): boolean {
  return normalizeLabel(a) === normalizeLabel(b);
}

function choosePriceType(types: readonly PriceType[], wanted: CmlOptions['priceType']): PriceType | null {
  const available = types.map((t) => t.name).join(', ');
  if (!wanted || (wanted.id === undefined && wanted.name === undefined)) {
    if (types.length <= 1) return types[0] ?? null;
    throw new ImportFileError('price_type_unknown', 'offers.xml has several price types: choose one', { available });
  }
  const found = types.find((t) => wanted.id !== undefined && t.id === wanted.id) ?? types.find((t) => wanted.name !== undefined && samePriceTypeName(t.name, wanted.name));
  if (!found) throw new ImportFileError('price_type_unknown', `offers.xml has no price type "${wanted.name ?? wanted.id ?? ''}"`, { requested: wanted.name ?? wanted.id ?? '', available });
  return found;
}

/**
 * Read import.xml and/or offers.xml (either may be absent: a price-only exchange sends offers.xml
 * alone). Each offer becomes a product, joined to its Товар by Ид ("product#variant" falls back to
 * the product); products with no offer come without price. Items marked deleted in 1C are skipped.
 */
export async function readCommerceML(files: { importXml?: Uint8Array; offersXml?: Uint8Array }, opts: CmlOptions): Promise<CmlResult> {
  const limits = limitsOf(opts);
  const into: Collected = { groups: new Map(), products: [], priceTypes: [], offers: [] };
  let read = 0;
  const progress = (): void => {
    read++;
    if (read % 5000 === 0) opts.onProgress?.(read);
  };
  if (!files.importXml && !files.offersXml) throw new ImportFileError('file_empty', 'neither import.xml nor offers.xml was given');
  if (files.importXml) await walkXml(files.importXml, 'import.xml', limits, collector('import.xml', into, progress));
  if (files.offersXml) await walkXml(files.offersXml, 'offers.xml', limits, collector('offers.xml', into, progress));
  opts.onProgress?.(read);
  const priceType = files.offersXml ? choosePriceType(into.priceTypes, opts.priceType) : null;

  const issues: ImportIssue[] = [];
  const products: CmlProduct[] = [];
  const required = new Set<ImportField>(['name', ...(opts.required ?? [])]);
  const barcodeOwner = new Map<string, { id: string; line: number; source: CmlFile }>();
  const seenIds = new Map<string, RawItem>();
  let deleted = 0;
  let total = 0;
  let rejected = 0;

  const byId = new Map<string, RawItem>();
  for (const p of into.products) {
    if (p.deleted) {
      deleted++;
      continue;
    }
    const first = byId.get(p.id);
    if (first) {
      total++;
      rejected++;
      issues.push(issue('id_duplicate', p.line, null, null, { file: p.source, id: p.id, firstLine: first.line }));
      continue;
    }
    byId.set(p.id, p);
  }

  const groupPath = (ids: readonly string[]): string[] => {
    const out: string[] = [];
    let id: string | null = ids[0] ?? null;
    for (let guard = 0; id && guard < limits.maxDepth; guard++) {
      const g = into.groups.get(id);
      if (!g) break;
      out.unshift(g.name);
      id = g.parent;
    }
    return out;
  };

  const emit = (base: RawItem | undefined, offer: RawOffer | undefined): void => {
    const at = offer ?? base;
    if (!at) return;
    total++;
    const found: ImportIssue[] = [];
    const fail = (code: RowIssueCode, field: ImportField | null, details: ErrorDetails = {}): void => {
      found.push(issue(code, at.line, null, field, { file: at.source, id: at.id, ...details }));
    };
    const isVariant = offer !== undefined && offer.id.includes('#');
    const name = (isVariant && offer.name ? offer.name : (base?.name ?? offer?.name)) ?? '';
    const sku = base?.sku || offer?.sku || '';
    const codes = isVariant && offer.barcodes.length > 0 ? offer.barcodes : [...(base?.barcodes ?? []), ...(offer?.barcodes ?? [])];
    for (const f of [...(base?.overflow ?? []), ...(offer?.overflow ?? [])]) fail('cell_too_long', f, { limit: limits.maxTextChars });
    const groupIds = base?.groupIds.length ? base.groupIds : (offer?.groupIds ?? []);
    const path = groupPath(groupIds);
    if (!base && !offer?.name) fail('product_unknown', null);
    else {
      // Price, VAT, unit and quantity are checked for presence below, where they are read.
      const present: Partial<Record<ImportField, boolean>> = { name: name !== '', barcode: codes.length > 0, sku: sku !== '', group: path.length > 0 };
      for (const f of required) if (present[f] === false) fail(MISSING_CODE[f], f);
    }
    if (name.length > 200) fail('name_too_long', 'name', { limit: 200 });
    if (sku.length > 64) fail('sku_too_long', 'sku', { limit: 64 });

    const barcodes: string[] = [];
    for (const code of new Set(codes)) {
      const bad = checkBarcode(code);
      if (bad) {
        fail(bad, 'barcode', { value: code.slice(0, 40) });
        continue;
      }
      const owner = barcodeOwner.get(code);
      if (owner && owner.id !== at.id) fail('barcode_duplicate', 'barcode', { value: code, firstId: owner.id, firstLine: owner.line, firstFile: owner.source });
      else {
        barcodeOwner.set(code, { id: at.id, line: at.line, source: at.source });
        barcodes.push(code);
      }
    }

    const unitText = offer?.unitText || offer?.unitCode || base?.unitText || base?.unitCode || '';
    const unit = unitText === '' ? null : (parseUnit(unitText) ?? parseUnit(offer?.unitCode || base?.unitCode || ''));
    if (unitText !== '' && unit === null) fail('unit_unknown', 'unit', { value: unitText.slice(0, 40) });
    else if (unit === null && required.has('unit')) fail('unit_missing', 'unit');

    const vatText = base?.vatText || offer?.vatText || '';
    let vatCode = opts.defaultVatCode ?? null;
    if (vatText !== '') {
      vatCode = parseVat(vatText, opts.vat);
      if (vatCode === null) fail('vat_unknown', 'vat', { value: vatText.slice(0, 40) });
    } else if (vatCode === null && required.has('vat')) fail('vat_missing', 'vat');

    let price: Minor | null = null;
    const quote = priceType && offer ? offer.prices.find((p) => p.typeId === priceType.id) : undefined;
    if (quote) {
      const p = parseAmount(quote.amount);
      if (!p.ok) fail(p.error === 'negative' ? 'price_negative' : 'price_invalid', 'price', { value: quote.amount.slice(0, 40) });
      else if (quote.factor !== '' && !isOne(quote.factor)) {
        // A price per pack of N: converting would round; let the person fix the export instead.
        fail('price_invalid', 'price', { value: quote.amount.slice(0, 40), reason: 'factor', factor: quote.factor.slice(0, 20) });
      } else price = p.value;
    } else if (required.has('price')) fail('price_missing', 'price', { priceType: priceType?.name ?? null });

    let qty: Qty | null = null;
    if (offer) {
      const texts = offer.qtyText !== '' ? [offer.qtyText] : offer.stockTexts;
      let sum = 0;
      for (const q of texts) {
        const r = parseQuantity(q);
        if (r.ok) sum += r.value;
        else fail(r.error === 'negative' ? 'qty_negative' : 'qty_invalid', 'qty', { value: q.slice(0, 40) });
      }
      if (texts.length > 0) qty = sum as Qty;
    }
    if (qty === null && required.has('qty')) fail('qty_missing', 'qty');

    if (found.length > 0) {
      issues.push(...found);
      rejected++;
      return;
    }
    products.push({ id: at.id, source: at.source, line: at.line, name, sku: sku || null, barcodes, unit, vatCode, group: path[path.length - 1] ?? null, groupPath: path, price, qty });
  };

  if (files.offersXml) {
    const offered = new Set<string>();
    for (const o of into.offers) {
      if (o.deleted) {
        deleted++;
        continue;
      }
      const first = seenIds.get(o.id);
      if (first) {
        total++;
        rejected++;
        issues.push(issue('id_duplicate', o.line, null, null, { file: o.source, id: o.id, firstLine: first.line }));
        continue;
      }
      seenIds.set(o.id, o);
      const base = byId.get(o.id) ?? byId.get(o.id.split('#')[0] ?? '');
      if (base) offered.add(base.id);
      emit(base, o);
    }
    for (const p of byId.values()) if (!offered.has(p.id)) emit(p, undefined);
  } else {
    for (const p of byId.values()) emit(p, undefined);
  }
  return { products, issues, priceTypes: into.priceTypes, priceType, total, rejected, deleted };
}

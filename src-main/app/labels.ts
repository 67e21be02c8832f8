import { AppError } from '../../src-common/errors.js';
import { newId } from '../../src-common/ids.js';
import type { PriceTag } from '../../src-common/price-tag.js';
import type { EmulatedLabels, LabelJobView, LabelPrintParams, PendingPriceChange } from '../../src-common/rpc/label-schemas.js';
import type { EpochMs, Minor } from '../../src-common/units.js';
import { LABEL_EMULATOR_FAULTS } from '../../src-drivers/emulators/label/model.js';
import { renderLabel, toPng } from '../../src-drivers/emulators/label/index.js';
import type { LabelJob, PendingChangeRow } from '../db/repos/label-jobs.js';
import { emulatedLabelPrinters, labelSetup } from '../devices/drivers.js';
import { priceTagFor, tagSettingsOf } from '../domain/price-tags.js';
import { requireUser, type HandlerCtx, type Handlers } from './context.js';

/** Product names a job view lists (the rest are counted). */
const NAMES_SHOWN = 5;

function pendingView(r: PendingChangeRow): PendingPriceChange {
  return {
    id: r.id,
    productId: r.product_id,
    name: r.name,
    unit: r.unit,
    barcode: r.barcode,
    oldPrice: r.old_price,
    newPrice: r.new_price,
    price: r.price,
    at: r.at,
    by: r.by_name,
    source: r.source_id && r.source_kind && r.source_number !== null ? { id: r.source_id, kind: r.source_kind, number: r.source_number } : null,
    job: r.job_id && r.job_state ? { id: r.job_id, state: r.job_state, lastError: r.job_error } : null,
  };
}

function jobView(ctx: HandlerCtx, j: LabelJob): LabelJobView {
  return {
    id: j.id,
    kind: j.kind,
    via: j.via,
    deviceId: j.deviceId,
    deviceName: ctx.repos.devices.byId(j.deviceId)?.name ?? null,
    state: j.state,
    lastError: j.lastError,
    attempts: j.attempts,
    tags: j.tags.length,
    labels: j.tags.reduce((n, t) => n + t.copies, 0),
    names: j.tags.slice(0, NAMES_SHOWN).map((t) => t.name),
    priceChangeIds: ctx.repos.labelJobs.priceChangesOf(j.id),
    createdAt: j.createdAt,
    createdBy: j.createdBy === null ? null : (ctx.repos.users.byId(j.createdBy)?.name ?? null),
    printedAt: j.printedAt,
  };
}

interface Wanted {
  productId: number;
  copies: number;
  changeIds: number[];
}

/**
 * What to print tags of, one per product: the products asked for, or the products of the price
 * changes asked for. A change whose tags are printed, or already queued, is left out (a second tap
 * on "print" must not double the shelf's tags); several changes of one product make one tag.
 */
function wantedTags(ctx: HandlerCtx, p: LabelPrintParams): Wanted[] {
  if ('items' in p) {
    const byProduct = new Map<number, Wanted>();
    for (const item of p.items) {
      const w = byProduct.get(item.productId);
      if (w) w.copies = Math.max(w.copies, item.copies);
      else byProduct.set(item.productId, { productId: item.productId, copies: item.copies, changeIds: [] });
    }
    return [...byProduct.values()];
  }
  const asked = 'priceChangeIds' in p ? p.priceChangeIds.map((id) => ({ id, copies: p.copies })) : p.priceChanges;
  const byProduct = new Map<number, Wanted>();
  let printed = 0;
  let queued = 0;
  for (const a of asked) {
    const c = ctx.repos.labelJobs.change(a.id);
    if (!c) throw new AppError('not_found', 'no such price change', { priceChangeId: a.id });
    if (c.printed) printed++;
    else if (c.queued) queued++;
    if (c.printed || c.queued) continue;
    const w = byProduct.get(c.productId);
    if (w) {
      w.copies = Math.max(w.copies, a.copies);
      if (!w.changeIds.includes(c.id)) w.changeIds.push(c.id);
    } else byProduct.set(c.productId, { productId: c.productId, copies: a.copies, changeIds: [c.id] });
  }
  if (byProduct.size === 0) {
    throw new AppError('label_nothing_to_print', 'the tags of these price changes are printed or queued already', { printed, queued });
  }
  return [...byProduct.values()];
}

/** Price tags: the price changes waiting for them, printing them (or any product's), the job queue, the demo's emulated label printer. */
export const labelHandlers: Handlers<'labels.pending' | 'labels.print' | 'labels.jobs' | 'labels.emulated'> = {
  'labels.pending': ({ limit }, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.labelJobs.pending(limit).map(pendingView);
  },

  'labels.print': (p, ctx) => {
    const me = requireUser(ctx, 'stock');
    const target = ctx.services.labels.target();
    if (!target) throw new AppError('label_no_printer', 'no label printer and no receipt printer is configured');
    const now = ctx.clock.now();
    const settings = tagSettingsOf(ctx.repos.settings);
    const tags: PriceTag[] = [];
    const changeIds: number[] = [];
    for (const w of wantedTags(ctx, p)) {
      const product = ctx.repos.labelJobs.product(w.productId);
      if (!product) throw new AppError('not_found', 'product not found', { productId: w.productId });
      // A product made on a delivery has no price until a manager sets one: no tag says "0,00".
      if (product.price <= 0) throw new AppError('invalid_price', 'the product has no price yet', { productId: product.id, reason: 'no_price', name: product.name });
      tags.push(priceTagFor({ ...product, price: product.price as Minor }, settings, now, w.copies, target.stock));
      changeIds.push(...w.changeIds);
    }
    const job = { id: newId(), kind: 'price_tags' as const, via: target.via, deviceId: target.deviceId, tags, priceChangeIds: changeIds, createdBy: me.userId, at: now as EpochMs };
    ctx.services.labels.queue(job);
    ctx.repos.audit.append(now, me.userId, 'labels.print', job.id, {
      tags: tags.length,
      labels: tags.reduce((n, t) => n + t.copies, 0),
      priceChanges: changeIds.length,
      via: target.via,
      device: target.deviceName,
    });
    ctx.emit('labels.changed', { jobId: job.id, state: 'queued' });
    ctx.afterCommit(() => ctx.services.labels.kick(target));
    const stored = ctx.repos.labelJobs.byId(job.id);
    if (!stored) throw new AppError('internal', 'the label job was not stored');
    return jobView(ctx, stored);
  },

  'labels.jobs': ({ limit }, ctx) => {
    requireUser(ctx, 'stock');
    return ctx.repos.labelJobs.recent(limit).map((j) => jobView(ctx, j));
  },

  'labels.emulated': ({ deviceId, last }, ctx): EmulatedLabels => {
    requireUser(ctx, 'stock');
    const e = emulatedLabelPrinters.get(deviceId);
    const device = ctx.repos.devices.byId(deviceId);
    if (!e || !device) throw new AppError('not_found', 'no emulated label printer with that id', { deviceId });
    const runs = e.engine.runs.slice(-last);
    return {
      profile: labelSetup(device)?.profile.id ?? String(device.options.profile ?? device.driver),
      printed: e.engine.printedCount,
      waiting: e.engine.labelsRemaining,
      faults: LABEL_EMULATOR_FAULTS.filter((f) => e.engine.fault(f)),
      labels: runs.map(({ label, count }) => ({
        count,
        widthDots: label.widthDots,
        heightDots: label.heightDots,
        texts: [...label.texts].sort((a, b) => a.y - b.y || a.x - b.x).map((t) => t.text),
        barcodes: label.barcodes.map((b) => ({ symbology: b.symbology, data: b.data })),
        png: toPng(renderLabel(label)).toString('base64'),
      })),
    };
  },
};

import { DEFAULT_WEIGHED_TEMPLATES, ean13, makeWeighedBarcode } from '../../src-common/barcode.js';
import { mulberry32 } from '../../src-common/prng.js';
import type { ProductKind, Unit } from '../../src-common/rpc/schemas.js';

/** Deterministic PRNG: the same seed gives the same catalog on every machine. */
export const prng = mulberry32;

export interface GeneratedProduct {
  id: number;
  name: string;
  nameAlt: string;
  kind: ProductKind;
  unit: Unit;
  taxCode: string;
  price: number;
  categoryId: number;
  plu: number | null;
  itemCode: string | null;
  barcodes: { code: string; packQty: number }[];
  /** Sold only by scanning each unit's marking code. */
  marked?: boolean;
}

export const CATEGORIES: { id: number; ru: string; en: string; food: boolean }[] = [
  { id: 1, ru: 'Молочные продукты', en: 'Dairy', food: true },
  { id: 2, ru: 'Хлеб и выпечка', en: 'Bakery', food: true },
  { id: 3, ru: 'Овощи и фрукты', en: 'Fruit and vegetables', food: true },
  { id: 4, ru: 'Мясо и птица', en: 'Meat and poultry', food: true },
  { id: 5, ru: 'Напитки', en: 'Drinks', food: false },
  { id: 6, ru: 'Бакалея', en: 'Grocery', food: true },
  { id: 7, ru: 'Сладости', en: 'Sweets', food: false },
  { id: 8, ru: 'Бытовая химия', en: 'Household', food: false },
  { id: 9, ru: 'Заморозка', en: 'Frozen', food: true },
  { id: 10, ru: 'Рыба', en: 'Fish', food: true },
  { id: 11, ru: 'Услуги', en: 'Services', food: false },
];

const BASES: Record<number, [string, string][]> = {
  1: [['Молоко', 'Milk'], ['Кефир', 'Kefir'], ['Йогурт', 'Yoghurt'], ['Творог', 'Cottage cheese'], ['Сметана', 'Sour cream'], ['Ряженка', 'Ryazhenka'], ['Масло сливочное', 'Butter'], ['Сыр', 'Cheese']],
  2: [['Хлеб', 'Bread'], ['Батон', 'Loaf'], ['Булочка', 'Bun'], ['Лаваш', 'Lavash'], ['Сушки', 'Sushki'], ['Пряники', 'Gingerbread']],
  3: [['Яблоки', 'Apples'], ['Бананы', 'Bananas'], ['Картофель', 'Potatoes'], ['Морковь', 'Carrots'], ['Огурцы', 'Cucumbers'], ['Помидоры', 'Tomatoes'], ['Лук', 'Onions'], ['Апельсины', 'Oranges']],
  4: [['Курица', 'Chicken'], ['Фарш', 'Mince'], ['Свинина', 'Pork'], ['Говядина', 'Beef'], ['Колбаса', 'Sausage'], ['Сосиски', 'Frankfurters']],
  5: [['Вода', 'Water'], ['Сок', 'Juice'], ['Лимонад', 'Lemonade'], ['Квас', 'Kvass'], ['Чай', 'Tea'], ['Кофе', 'Coffee'], ['Морс', 'Mors']],
  6: [['Гречка', 'Buckwheat'], ['Рис', 'Rice'], ['Макароны', 'Pasta'], ['Мука', 'Flour'], ['Сахар', 'Sugar'], ['Соль', 'Salt'], ['Масло подсолнечное', 'Sunflower oil'], ['Овсянка', 'Oats']],
  7: [['Шоколад', 'Chocolate'], ['Конфеты', 'Sweets'], ['Печенье', 'Biscuits'], ['Вафли', 'Wafers'], ['Зефир', 'Zefir'], ['Мармелад', 'Marmalade']],
  8: [['Мыло', 'Soap'], ['Шампунь', 'Shampoo'], ['Порошок стиральный', 'Washing powder'], ['Губки', 'Sponges'], ['Салфетки', 'Napkins'], ['Пакеты для мусора', 'Bin bags']],
  9: [['Пельмени', 'Pelmeni'], ['Вареники', 'Vareniki'], ['Мороженое', 'Ice cream'], ['Овощи замороженные', 'Frozen vegetables'], ['Блинчики', 'Blini']],
  10: [['Сельдь', 'Herring'], ['Скумбрия', 'Mackerel'], ['Минтай', 'Pollock'], ['Горбуша', 'Pink salmon'], ['Креветки', 'Prawns']],
  11: [['Доставка', 'Delivery'], ['Упаковка подарка', 'Gift wrapping'], ['Нарезка', 'Slicing']],
};

const BRANDS: [string, string][] = [
  ['Простоквашино', 'Prostokvashino'], ['Домик в деревне', 'Domik v derevne'], ['Вкусвилл', 'VkusVill'], ['Лавка', 'Lavka'],
  ['Красная цена', 'Krasnaya tsena'], ['Мираторг', 'Miratorg'], ['Агуша', 'Agusha'], ['Савушкин', 'Savushkin'],
  ['Черкизово', 'Cherkizovo'], ['Бабаевский', 'Babaevsky'], ['Красный Октябрь', 'Krasny Oktyabr'], ['Святой источник', 'Svyatoy istochnik'],
  ['Махеев', 'Maheev'], ['Мистраль', 'Mistral'], ['Увелка', 'Uvelka'], ['Северная', 'Severnaya'],
];
const VARIANTS: [string, string][] = [
  ['классический', 'classic'], ['отборный', 'select'], ['фермерский', 'farm'], ['премиум', 'premium'], ['домашний', 'homemade'],
  ['лёгкий', 'light'], ['с ванилью', 'vanilla'], ['с клубникой', 'strawberry'], ['без сахара', 'sugar-free'], ['органический', 'organic'],
];
const SIZES: [string, string, Unit][] = [
  ['200 г', '200 g', 'pcs'], ['400 г', '400 g', 'pcs'], ['900 г', '900 g', 'pcs'], ['1 кг', '1 kg', 'pcs'],
  ['0,5 л', '0.5 l', 'pcs'], ['1 л', '1 l', 'pcs'], ['1,5 л', '1.5 l', 'pcs'], ['930 мл', '930 ml', 'pcs'],
];

/** Product ids of generated goods start here; the hand-made demo products sit below. */
export const GENERATED_ID_BASE = 1000;

/** The product at index i of a generated catalog (pure: for any i, always the same product). */
export function generateProduct(i: number, seed = 42): GeneratedProduct {
  const rnd = prng(seed * 1_000_003 + i);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const roll = rnd();
  const weighed = roll < 0.03;
  const service = !weighed && roll < 0.035;
  const category = service ? 11 : weighed ? pick([3, 4, 1, 10]) : pick([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const cat = CATEGORIES[category - 1] as (typeof CATEGORIES)[number];
  const [baseRu, baseEn] = pick(BASES[category] as [string, string][]);
  const [brandRu, brandEn] = pick(BRANDS);
  const [varRu, varEn] = pick(VARIANTS);
  const id = GENERATED_ID_BASE + i;
  const price = Math.round((service ? 50 + rnd() * 450 : 19 + rnd() * 1500) * 10) * 10 - 1;
  const taxCode = cat.food ? 'vat10' : 'vat22';
  if (weighed) {
    const n = i % 99_000;
    return {
      id,
      name: `${baseRu} ${varRu} ${brandRu} весовой`,
      nameAlt: `${baseEn} ${varEn} ${brandEn} by weight`,
      kind: 'weighed',
      unit: 'kg',
      taxCode,
      price,
      categoryId: category,
      plu: null,
      itemCode: null,
      barcodes: [],
      ...(i < 99_000 ? { plu: 1000 + n, itemCode: String(1000 + n).padStart(5, '0') } : {}),
    };
  }
  const [sizeRu, sizeEn] = pick(SIZES);
  const primary = ean13('462' + String(i).padStart(9, '0'));
  const barcodes = service ? [] : [{ code: primary, packQty: 1000 }];
  if (!service && rnd() < 0.05) {
    const pack = pick([6, 10, 12, 24]);
    barcodes.push({ code: ean13('463' + String(i).padStart(9, '0')), packQty: pack * 1000 });
  }
  return {
    id,
    name: service ? `${baseRu} ${varRu}` : `${baseRu} ${brandRu} ${varRu} ${sizeRu}`,
    nameAlt: service ? `${baseEn} ${varEn}` : `${baseEn} ${brandEn} ${varEn} ${sizeEn}`,
    kind: service ? 'service' : 'goods',
    unit: 'pcs',
    taxCode,
    price,
    categoryId: category,
    plu: null,
    itemCode: null,
    barcodes,
  };
}

/** The hand-made products named in the README, with barcodes a demo cashier can type. */
export function demoProducts(): GeneratedProduct[] {
  const p = (
    id: number,
    name: string,
    nameAlt: string,
    categoryId: number,
    price: number,
    barcodes: { code: string; packQty: number }[],
    extra: Partial<GeneratedProduct> = {},
  ): GeneratedProduct => ({
    id,
    name,
    nameAlt,
    kind: 'goods',
    unit: 'pcs',
    taxCode: CATEGORIES[categoryId - 1]?.food ? 'vat10' : 'vat22',
    price,
    categoryId,
    plu: null,
    itemCode: null,
    barcodes,
    ...extra,
  });
  return [
    p(1, 'Молоко «Лавка» 3,2% 1 л', 'Milk Lavka 3.2% 1 l', 1, 8990, [{ code: DEMO_BARCODES.milk, packQty: 1000 }]),
    p(2, 'Хлеб Бородинский 400 г', 'Borodinsky bread 400 g', 2, 5490, [{ code: DEMO_BARCODES.bread, packQty: 1000 }]),
    p(3, 'Вода «Святой источник» 0,5 л', 'Water Svyatoy istochnik 0.5 l', 5, 4500, [
      { code: DEMO_BARCODES.water, packQty: 1000 },
      { code: DEMO_BARCODES.water6, packQty: 6000 },
    ]),
    p(4, 'Яблоки Гала', 'Gala apples', 3, 15990, [], { kind: 'weighed', unit: 'kg', plu: 1, itemCode: '00001' }),
    p(5, 'Бананы', 'Bananas', 3, 12990, [], { kind: 'weighed', unit: 'kg', plu: 2, itemCode: '00002' }),
    p(6, 'Сыр Российский весовой', 'Rossiysky cheese by weight', 1, 89900, [], {
      kind: 'weighed',
      unit: 'kg',
      plu: 3,
      itemCode: '00003',
    }),
    p(7, 'Шоколад «Алёнка» 90 г', 'Alenka chocolate 90 g', 7, 10990, [{ code: DEMO_BARCODES.chocolate, packQty: 1000 }]),
    p(8, 'Кофе молотый 250 г', 'Ground coffee 250 g', 5, 47900, [{ code: DEMO_BARCODES.coffee, packQty: 1000 }]),
    p(9, 'Пакет-майка', 'Carrier bag', 8, 990, [], { plu: 10 }),
    // Bottled water is marked goods in Russia (Честный знак): each bottle's DataMatrix is scanned.
    p(10, 'Вода «Лавка» питьевая 1,5 л (маркированная)', 'Lavka drinking water 1.5 l (marked)', 5, 6990, [{ code: DEMO_BARCODES.markedWater, packQty: 1000 }], {
      marked: true,
    }),
  ];
}

export const DEMO_BARCODES = {
  milk: ean13('460000000001'),
  bread: ean13('460000000002'),
  water: ean13('460000000003'),
  water6: ean13('460000000004'),
  chocolate: ean13('460000000005'),
  coffee: ean13('460000000006'),
  /** The EAN-13 on a marked product's label: scanning it alone is refused (the DataMatrix is needed). */
  markedWater: ean13('460000000007'),
  /** 1.234 kg of Gala apples (item 00001) in the default weight template. */
  apples1234g: makeWeighedBarcode(DEFAULT_WEIGHED_TEMPLATES[0] as (typeof DEFAULT_WEIGHED_TEMPLATES)[number], '22', '00001', 1234),
} as const;

/**
 * A well-formed Честный знак code for the demo's marked water: GTIN (AI 01), a 13-character serial
 * (AI 21), GS, and a 4-character crypto tail (AI 93). `n` picks the serial, so each unit differs.
 */
export function demoMarkingCode(n: number): string {
  const gtin = '0' + DEMO_BARCODES.markedWater;
  const serial = `5Lavka${String(n).padStart(7, '0')}`;
  return `01${gtin}21${serial}\u001d93Ab${String(n % 100).padStart(2, '0')}`;
}

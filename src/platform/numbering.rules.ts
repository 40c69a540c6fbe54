/**
 * Numbers as the documents write them (issue 15, items 10 and 14): batches in Chinese numerals
 * (第八批, not 第8批) and readable application numbers (2023-第八批-龙游-001). Pure rules; they live in
 * the platform because migration 0020 backfills application numbers with them.
 */

const DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/**
 * A positive integer below 10000 in Chinese numerals as documents write a count: 8 → 八, 10 → 十,
 * 11 → 十一, 20 → 二十, 99 → 九十九, 105 → 一百零五, 110 → 一百一十.
 */
export function chineseNumeral(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > 9999) throw new Error(`not a count from 1 to 9999: ${n}`);
  if (n < 10) return DIGITS[n];
  if (n < 20) return `十${n % 10 ? DIGITS[n % 10] : ""}`;
  const units = ["", "十", "百", "千"];
  const digits = String(n).split("").map(Number);
  let out = "";
  let zero = false;
  digits.forEach((d, i) => {
    const unit = units[digits.length - 1 - i];
    if (d === 0) {
      zero = true;
      return;
    }
    if (zero && out) out += "零";
    zero = false;
    out += DIGITS[d] + unit;
  });
  return out;
}

/** 8 → 第八批; null (a call without a batch) → "". */
export function batchLabel(batchNo: number | null | undefined): string {
  if (batchNo === null || batchNo === undefined) return "";
  return `第${chineseNumeral(batchNo)}批`;
}

/**
 * The short name of a county-level division, as 附件2 and clerks write it: 龙游县 → 龙游,
 * 柯城区 → 柯城, 江山市 → 江山, 景宁畲族自治县 → 景宁. A name that would drop below two
 * characters is kept whole (郊区).
 */
export function countyShortName(name: string): string {
  const n = name.trim();
  const autonomous = /^(.{2,}?)(?:[^族]{1,3}族)+自治[县旗]$/.exec(n);
  if (autonomous) return autonomous[1];
  const plain = /^(.{2,})[区县市旗]$/.exec(n);
  return plain ? plain[1] : n;
}

/** The calendar year of an instant in Asia/Shanghai. */
export function shanghaiYear(instant: string | Date): number {
  return new Date(new Date(instant).getTime() + 8 * 3600_000).getUTCFullYear();
}

/**
 * The part of an application number shared by one call year, batch and county: 2023-第八批-龙游.
 * A call without a batch number leaves it out: 2023-龙游. The counter of numbers is kept per prefix,
 * so two calls that share one never hand out the same number.
 */
export function applicationNoPrefix(p: {
  year: number;
  batchNo: number | null;
  countyName: string;
  /** A county-level call's numbers say so (2024-县级-第一批-龙游), and keep a counter apart from the city's. */
  county?: boolean;
}): string {
  if (!Number.isInteger(p.year) || p.year < 1000 || p.year > 9999) throw new Error(`not a year: ${p.year}`);
  const county = countyShortName(p.countyName);
  if (!county) throw new Error("an application number needs a county");
  return [String(p.year), p.county ? "县级" : "", batchLabel(p.batchNo), county].filter(Boolean).join("-");
}

/** 2023-第八批-龙游 and 1 → 2023-第八批-龙游-001; past 999 the number simply grows (1000). */
export function formatApplicationNo(prefix: string, seq: number): string {
  if (!Number.isInteger(seq) || seq < 1) throw new Error(`not a sequence number: ${seq}`);
  return `${prefix}-${String(seq).padStart(3, "0")}`;
}

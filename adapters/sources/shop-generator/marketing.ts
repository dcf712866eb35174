import { DAY_MS, HISTORY_START, HOUR_MS, dayIndex, demand, isoDate } from './calendar.js';
import type { Currency } from './exchange-rates.js';
import { money } from './orders.js';
import { stream, type Prng } from './prng.js';

/**
 * Marketing: the paid campaigns whose daily spend the ad platforms' APIs report (and restate for
 * two days), and the traffic source of every session (utm tags of its first event).
 */

export interface Campaign {
  platform: string;
  utmSource: string;
  utmMedium: string;
  id: string;
  name: string;
  currency: Currency;
  /** Spend per day at scale 1 and average demand, in the campaign currency's cents. */
  dailyCents: number;
  /** Share of all sessions its clicks bring. */
  sessionShare: number;
  startsAt: number;
}

export const CAMPAIGNS: readonly Campaign[] = [
  { platform: 'google_ads', utmSource: 'google', utmMedium: 'cpc', id: 'g-1001', name: 'search_brand', currency: 'EUR', dailyCents: 6000, sessionShare: 0.07, startsAt: HISTORY_START },
  { platform: 'google_ads', utmSource: 'google', utmMedium: 'cpc', id: 'g-1002', name: 'search_generic', currency: 'EUR', dailyCents: 18000, sessionShare: 0.08, startsAt: HISTORY_START },
  { platform: 'google_ads', utmSource: 'google', utmMedium: 'cpc', id: 'g-1003', name: 'shopping', currency: 'EUR', dailyCents: 15000, sessionShare: 0.05, startsAt: HISTORY_START },
  { platform: 'microsoft_ads', utmSource: 'bing', utmMedium: 'cpc', id: 'm-2001', name: 'bing_generic', currency: 'EUR', dailyCents: 4000, sessionShare: 0.02, startsAt: HISTORY_START },
  { platform: 'meta_ads', utmSource: 'meta', utmMedium: 'paid_social', id: 'fb-3001', name: 'meta_prospecting', currency: 'USD', dailyCents: 17000, sessionShare: 0.08, startsAt: HISTORY_START },
  { platform: 'meta_ads', utmSource: 'meta', utmMedium: 'paid_social', id: 'fb-3002', name: 'meta_retargeting', currency: 'USD', dailyCents: 7500, sessionShare: 0.04, startsAt: HISTORY_START },
  { platform: 'tiktok_ads', utmSource: 'tiktok', utmMedium: 'paid_social', id: 'tt-4001', name: 'tiktok_awareness', currency: 'USD', dailyCents: 8500, sessionShare: 0.03, startsAt: Date.UTC(2025, 2, 1) },
  { platform: 'affiliate_network', utmSource: 'affiliate', utmMedium: 'affiliate', id: 'af-5001', name: 'affiliate_cps', currency: 'EUR', dailyCents: 5000, sessionShare: 0.06, startsAt: HISTORY_START },
];

/** The utm tags of a session's first event; null tags are direct traffic. */
export interface Utm {
  source: string | null;
  medium: string | null;
  campaign: string | null;
}

const UNPAID: readonly (readonly [Utm, number])[] = [
  [{ source: null, medium: null, campaign: null }, 0.27],
  [{ source: 'google', medium: 'organic', campaign: null }, 0.22],
  [{ source: 'bing', medium: 'organic', campaign: null }, 0.02],
  [{ source: 'newsletter', medium: 'email', campaign: 'weekly_newsletter' }, 0.06],
];

/** Where a session at `at` came from. */
export function drawUtm(rng: Prng, at: number): Utm {
  const options: (readonly [Utm, number])[] = [...UNPAID];
  for (const c of CAMPAIGNS) if (c.startsAt <= at) options.push([{ source: c.utmSource, medium: c.utmMedium, campaign: c.name }, c.sessionShare]);
  return rng.weighted(options);
}

/** How many days after the spend day a platform reports it (revision 0), then restates it twice. */
export const REVISIONS = 3;

/** One reported version of a day's spend of a campaign. */
export interface AdSpendReport {
  row: Record<string, unknown>;
  /** When the API returned it: 02:00 UTC, 1, 2 or 3 days after the spend day. */
  reportedAt: number;
  revision: number;
}

/** The reports of a campaign's spend on `day`: the first figure is a bit low, the third is final. */
export function adSpendReports(seed: number, scale: number, campaign: Campaign, day: number): AdSpendReport[] {
  if (campaign.startsAt > day) return [];
  const rng = stream(seed, 'ad-spend', campaign.id, dayIndex(day));
  const finalCents = Math.max(100, Math.round(campaign.dailyCents * scale * demand(day) * (1 + 0.15 * rng.normal())));
  const shortfall = 0.02 + 0.1 * rng.next();
  const cpc = 40 + rng.int(0, 80);
  const ctr = 0.01 + 0.03 * rng.next();
  return Array.from({ length: REVISIONS }, (_, revision) => {
    const cents = revision === REVISIONS - 1 ? finalCents : Math.round(finalCents * (1 - shortfall / (revision * 2 + 1)));
    const clicks = Math.max(1, Math.round(cents / cpc));
    return {
      revision,
      reportedAt: day + (revision + 1) * DAY_MS + 2 * HOUR_MS,
      row: {
        spend_date: isoDate(day),
        platform: campaign.platform,
        utm_source: campaign.utmSource,
        utm_medium: campaign.utmMedium,
        campaign_id: campaign.id,
        campaign_name: campaign.name,
        impressions: Math.round(clicks / ctr),
        clicks,
        spend: money(cents),
        currency: campaign.currency,
      },
    };
  });
}

"use client";

import { Bar, BarChart, CartesianGrid, Cell, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

/**
 * Texts and numbers the server prepared: the charts only draw them. They are hidden from assistive technology, and out
 * of the tab order (no accessibility layer), because the same numbers are in a table beside each.
 */
export type ChartLabels = { mrr: string; failed: string; recovered: string; count: string };
export type MrrPoint = { month: string; mrr: number };
export type StatusSlice = { label: string; count: number; color: string };
export type RecoveryPoint = { month: string; failed: number; recovered: number };

const money = (locale: string, currency: string) => new Intl.NumberFormat(locale, { style: "currency", currency: currency.toUpperCase(), maximumFractionDigits: 0 });
const short = (month: string) => month.slice(2).replace("-", "/");

export function MrrChart({ points, locale, currency, label }: { points: MrrPoint[]; locale: string; currency: string; label: string }) {
  const format = money(locale, currency);
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <LineChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="month" tickFormatter={short} tick={{ fill: "#334155", fontSize: 12 }} />
          <YAxis tickFormatter={(v: number) => format.format(v)} tick={{ fill: "#334155", fontSize: 12 }} width={88} />
          <Tooltip formatter={(v) => [format.format(Number(v)), label]} />
          <Line type="monotone" dataKey="mrr" name={label} stroke="#0369a1" strokeWidth={2} dot={{ r: 3 }} isAnimationActive={false} />
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function StatusChart({ slices, label }: { slices: StatusSlice[]; label: string }) {
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={slices} layout="vertical" margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" horizontal={false} />
          <XAxis type="number" allowDecimals={false} tick={{ fill: "#334155", fontSize: 12 }} />
          <YAxis type="category" dataKey="label" width={96} tick={{ fill: "#334155", fontSize: 12 }} />
          <Tooltip formatter={(v) => [Number(v).toLocaleString(), label]} />
          <Bar dataKey="count" name={label} isAnimationActive={false}>
            {slices.map((s) => (
              <Cell key={s.label} fill={s.color} />
            ))}
          </Bar>
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function RecoveryChart({ points, labels }: { points: RecoveryPoint[]; labels: ChartLabels }) {
  return (
    <div className="h-56 w-full" aria-hidden="true">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={points} margin={{ top: 8, right: 16, bottom: 0, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" vertical={false} />
          <XAxis dataKey="month" tickFormatter={short} tick={{ fill: "#334155", fontSize: 12 }} />
          <YAxis allowDecimals={false} tick={{ fill: "#334155", fontSize: 12 }} width={48} />
          <Tooltip />
          <Legend />
          <Bar dataKey="failed" name={labels.failed} fill="#b45309" isAnimationActive={false} />
          <Bar dataKey="recovered" name={labels.recovered} fill="#15803d" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

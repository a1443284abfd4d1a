"use client";

import { type ChangeEvent, useState } from "react";
import { PostalCodeAutofillStatus, usePostalCodeAutofill } from "@/components/address/postal-code-autofill";
import { PrefectureSelect } from "@/components/address/prefecture-select";
import { Input, Label } from "@/components/ui/input";

type Address = { postalCode: string; prefecture: string; city: string; line1: string; line2: string };
type Labels = { legend: string; postalCode: string; prefecture: string; choosePrefecture: string; city: string; line1: string; line2: string };

/**
 * The profile's address, in the fields checkout and the console keep (postal code, prefecture, city, street, building):
 * the prefecture and the city with its town are filled from the postal code, as on the checkout page.
 */
export function ProfileAddressFields({ saved, labels }: { saved: Address; labels: Labels }) {
  const [address, setAddress] = useState(saved);
  const autofill = usePostalCodeAutofill({
    values: { prefecture: address.prefecture, city: address.city },
    toFields: (c) => ({ prefecture: c.prefecture, city: `${c.city}${c.town}` }),
    fill: (patch) => setAddress((a) => ({ ...a, ...patch })),
  });
  const bind = (name: keyof Address) => ({
    id: name,
    name,
    value: address[name],
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => setAddress((a) => ({ ...a, [name]: e.target.value })),
  });
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-sm font-medium text-slate-800">{labels.legend}</legend>
      <div className="flex w-40 flex-col gap-1">
        <Label htmlFor="postalCode">{labels.postalCode}</Label>
        <Input {...bind("postalCode")} {...autofill.postalCodeProps} autoComplete="postal-code" inputMode="numeric" maxLength={10} />
      </div>
      <PostalCodeAutofillStatus autofill={autofill} />
      <div className="flex w-48 flex-col gap-1">
        <Label htmlFor="prefecture">{labels.prefecture}</Label>
        <PrefectureSelect {...bind("prefecture")} placeholder={labels.choosePrefecture} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="city">{labels.city}</Label>
        <Input {...bind("city")} autoComplete="address-level2" maxLength={100} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="line1">{labels.line1}</Label>
        <Input {...bind("line1")} autoComplete="address-line1" maxLength={200} />
      </div>
      <div className="flex flex-col gap-1">
        <Label htmlFor="line2">{labels.line2}</Label>
        <Input {...bind("line2")} autoComplete="address-line2" maxLength={200} />
      </div>
    </fieldset>
  );
}

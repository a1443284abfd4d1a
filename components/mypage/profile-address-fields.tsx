"use client";

import { useState } from "react";
import { PostalCodeAutofillStatus, usePostalCodeAutofill } from "@/components/address/postal-code-autofill";
import { Input, Label } from "@/components/ui/input";

type Props = { postalCode: string; address: string; labels: { postalCode: string; address: string } };

/** The profile's postal code and one-line address; the address is filled from the postal code (prefecture, city, town). */
export function ProfileAddressFields({ postalCode: savedPostalCode, address: savedAddress, labels }: Props) {
  const [postalCode, setPostalCode] = useState(savedPostalCode);
  const [address, setAddress] = useState(savedAddress);
  const autofill = usePostalCodeAutofill({
    values: { address },
    toFields: (c) => ({ address: `${c.prefecture}${c.city}${c.town}` }),
    fill: (patch) => setAddress((a) => patch.address ?? a),
  });
  return (
    <>
      <div className="flex flex-col gap-1">
        <Label htmlFor="postalCode">{labels.postalCode}</Label>
        <Input id="postalCode" name="postalCode" value={postalCode} onChange={(e) => setPostalCode(e.target.value)} {...autofill.postalCodeProps} autoComplete="postal-code" inputMode="numeric" />
      </div>
      <PostalCodeAutofillStatus autofill={autofill} />
      <div className="flex flex-col gap-1">
        <Label htmlFor="address">{labels.address}</Label>
        <Input id="address" name="address" value={address} onChange={(e) => setAddress(e.target.value)} autoComplete="street-address" maxLength={300} />
      </div>
    </>
  );
}

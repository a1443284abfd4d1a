import type { CustomerAddress } from "@/lib/services/create-customer";

/**
 * The demo merchant's customers: Japanese names (with a few English speakers), an email made from the name's
 * reading, a mobile number and an address. Deterministic: the same index gives the same person on every seed.
 */

/** A small seeded generator (mulberry32): the demo is the same on every machine. */
export function randomOf(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;
export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
/** An integer from `min` to `max`, both included. */
export const between = (random: Random, min: number, max: number): number => min + Math.floor(random() * (max - min + 1));

const SURNAMES: readonly [string, string][] = [
  ["佐藤", "sato"], ["鈴木", "suzuki"], ["高橋", "takahashi"], ["田中", "tanaka"], ["伊藤", "ito"], ["渡辺", "watanabe"],
  ["山本", "yamamoto"], ["中村", "nakamura"], ["小林", "kobayashi"], ["加藤", "kato"], ["吉田", "yoshida"], ["山田", "yamada"],
  ["佐々木", "sasaki"], ["山口", "yamaguchi"], ["松本", "matsumoto"], ["井上", "inoue"], ["木村", "kimura"], ["林", "hayashi"],
  ["斎藤", "saito"], ["清水", "shimizu"], ["山崎", "yamazaki"], ["森", "mori"], ["池田", "ikeda"], ["橋本", "hashimoto"],
  ["阿部", "abe"], ["石川", "ishikawa"], ["山下", "yamashita"], ["中島", "nakajima"], ["石井", "ishii"], ["小川", "ogawa"],
  ["前田", "maeda"], ["岡田", "okada"], ["長谷川", "hasegawa"], ["藤田", "fujita"], ["後藤", "goto"], ["近藤", "kondo"],
  ["村上", "murakami"], ["遠藤", "endo"], ["青木", "aoki"], ["坂本", "sakamoto"], ["斉藤", "saito"], ["福田", "fukuda"],
  ["太田", "ota"], ["西村", "nishimura"], ["藤井", "fujii"], ["金子", "kaneko"], ["岡本", "okamoto"], ["藤原", "fujiwara"],
];

const GIVEN_NAMES: readonly [string, string][] = [
  ["花子", "hanako"], ["一郎", "ichiro"], ["美咲", "misaki"], ["健", "ken"], ["さくら", "sakura"], ["翔", "sho"],
  ["由美", "yumi"], ["大輔", "daisuke"], ["直子", "naoko"], ["誠", "makoto"], ["愛", "ai"], ["陽菜", "hina"],
  ["蓮", "ren"], ["結衣", "yui"], ["悠真", "yuma"], ["葵", "aoi"], ["湊", "minato"], ["凛", "rin"],
  ["大翔", "hiroto"], ["芽依", "mei"], ["樹", "itsuki"], ["美月", "mitsuki"], ["颯太", "sota"], ["莉子", "riko"],
  ["拓海", "takumi"], ["真央", "mao"], ["和也", "kazuya"], ["恵", "megumi"], ["浩二", "koji"], ["裕子", "yuko"],
  ["隆", "takashi"], ["智子", "tomoko"], ["亮", "ryo"], ["麻衣", "mai"], ["俊介", "shunsuke"], ["彩", "aya"],
  ["修", "osamu"], ["千尋", "chihiro"], ["健太", "kenta"], ["奈々", "nana"], ["康平", "kohei"], ["舞", "mai"],
  ["直樹", "naoki"], ["香織", "kaori"], ["雄一", "yuichi"], ["明美", "akemi"], ["涼", "ryo"], ["優子", "yuko"],
];

const ENGLISH_NAMES: readonly [string, string][] = [
  ["Emily", "Clark"], ["James", "Wilson"], ["Sophie", "Martin"], ["Daniel", "Brown"], ["Olivia", "Taylor"], ["Lucas", "Moore"],
];

const MAIL_DOMAINS = ["example.jp", "example.com", "example.ne.jp", "example.co.jp"] as const;

/** Prefectures with a few wards or cities and their postal-code prefix, for addresses that read true. */
const PLACES: readonly { prefecture: string; city: string; postal: string; towns: readonly string[] }[] = [
  { prefecture: "東京都", city: "渋谷区", postal: "150", towns: ["神宮前", "恵比寿", "代々木", "広尾"] },
  { prefecture: "東京都", city: "世田谷区", postal: "154", towns: ["三軒茶屋", "太子堂", "下馬", "池尻"] },
  { prefecture: "東京都", city: "杉並区", postal: "166", towns: ["高円寺南", "阿佐谷北", "荻窪", "和田"] },
  { prefecture: "神奈川県", city: "横浜市中区", postal: "231", towns: ["山下町", "元町", "本町", "海岸通"] },
  { prefecture: "神奈川県", city: "川崎市中原区", postal: "211", towns: ["小杉町", "木月", "新丸子町", "今井南町"] },
  { prefecture: "大阪府", city: "大阪市北区", postal: "530", towns: ["梅田", "天神橋", "中崎", "堂島"] },
  { prefecture: "京都府", city: "京都市左京区", postal: "606", towns: ["下鴨", "北白川", "岡崎", "田中"] },
  { prefecture: "愛知県", city: "名古屋市中区", postal: "460", towns: ["栄", "大須", "錦", "丸の内"] },
  { prefecture: "福岡県", city: "福岡市中央区", postal: "810", towns: ["大名", "天神", "薬院", "赤坂"] },
  { prefecture: "北海道", city: "札幌市中央区", postal: "060", towns: ["大通西", "南一条西", "北一条西", "宮の森"] },
  { prefecture: "宮城県", city: "仙台市青葉区", postal: "980", towns: ["一番町", "国分町", "本町", "中央"] },
  { prefecture: "埼玉県", city: "さいたま市浦和区", postal: "330", towns: ["高砂", "岸町", "仲町", "常盤"] },
];

const BUILDINGS = ["メゾン", "ハイツ", "コーポ", "レジデンス", "パークハウス", "グランドール"] as const;

export type DemoPerson = {
  name: string;
  email: string;
  phone: string;
  address: CustomerAddress;
  locale: "ja" | "en";
};

/** The `index`-th demo customer. Every 40th speaks English; the rest have Japanese names. */
export function demoPerson(index: number): DemoPerson {
  const random = randomOf(0x5eed + index * 7919);
  const place = pick(random, PLACES);
  const address: CustomerAddress = {
    postalCode: `${place.postal}-${String(between(random, 1, 9999)).padStart(4, "0")}`,
    prefecture: place.prefecture,
    city: place.city,
    line1: `${pick(random, place.towns)}${between(random, 1, 5)}-${between(random, 1, 30)}-${between(random, 1, 20)}`,
    ...(random() < 0.55 ? { line2: `${pick(random, BUILDINGS)}${pick(random, place.towns)} ${between(random, 1, 12)}0${between(random, 1, 9)}号室` } : {}),
  };
  const phone = `0${pick(random, ["70", "80", "90"])}-${String(between(random, 1000, 9999))}-${String(between(random, 0, 9999)).padStart(4, "0")}`;
  const domain = pick(random, MAIL_DOMAINS);
  if (index % 40 === 39) {
    const [given, family] = pick(random, ENGLISH_NAMES);
    return { name: `${given} ${family}`, email: `${given.toLowerCase()}.${family.toLowerCase()}${index}@${domain}`, phone, address, locale: "en" };
  }
  const [surname, surnameReading] = pick(random, SURNAMES);
  const [given, givenReading] = pick(random, GIVEN_NAMES);
  // The index keeps emails unique among thousands of customers with a few hundred name pairs.
  return { name: `${surname} ${given}`, email: `${givenReading}.${surnameReading}${index}@${domain}`, phone, address, locale: "ja" };
}

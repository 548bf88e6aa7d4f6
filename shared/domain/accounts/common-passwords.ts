/**
 * The common-password list shipped with the project (SPEC §7.4): passwords and base words
 * that lead the published leak statistics, worldwide and in China (pinyin, keyboard walks,
 * 520/1314 number games), and the "complex" forms that pass a character-class rule but are
 * guessed first (P@ssw0rd, Admin@123, 1qaz@WSX…).
 *
 * A password is common when, lower-cased, it is on the list; or when it is a listed word
 * written with the usual substitutions (@→a, 0→o, 1→i/l, 3→e, $→s, 5→s, 7→t, !→i), or with
 * only digits and symbols around it (Password123!, #Welcome2026).
 */

/** whole passwords, lower-case */
const PASSWORDS = `
123456 123456789 12345678 1234567890 12345 1234567 111111 000000 123123 666666 888888
654321 112233 121212 123321 5201314 1314520 woaini1314 woaini520 a123456 a12345678
a123456789 aa123456 aa12345678 abc123 abc12345 abc123456 abcd1234 abcd@1234 abc@123
abc@1234 abc@123456 abc123!@# abc!@#123 abc#123 a1b2c3d4 a1b2c3 1a2b3c4d qwe123 qwe123!@#
qwe!@#123 qweasd qweasdzxc qwe@123 qwe@1234 qwer1234 qwer@1234 qwer!234 qwer1234! qwerty
qwerty123 qwerty1! qwerty@123 qwertyuiop q1w2e3r4 q1w2e3r4t5 1q2w3e4r 1q2w3e4r5t 1qaz2wsx
1qaz@wsx 1qaz!qaz 1qaz2wsx3edc 1qaz@wsx3edc zaq12wsx zaq1@wsx !qaz2wsx !qaz@wsx 2wsx#edc
asdf1234 asdf@1234 asd123 asd@123 zxc123 zxcvbnm zxc@123 1234qwer 1234abcd 123qwe 123qwe!@#
123abc 123abc!@# 123@abc 123!@#qwe 123456a 123456aa 123456abc 123456a! 12345678a
12345qwert 1234567a 111111a 000000a 147258369 159357 159753 741852963 987654321 7758521
p@ssw0rd p@ssword p@ssw0rd1 p@ssw0rd123 p@$$w0rd p@55w0rd passw0rd passw0rd! passw0rd1
password password1 password! password1! password@1 password123 password@123 password#123
pass@123 pass@word1 pass1234 pass@1234 passwd passwd@123 admin admin123 admin@123 admin#123
admin!123 admin123! admin@1234 admin12345 admin888 admin666 adm1n@123 administrator
administrator@123 root root@123 root123 toor test test123 test@123 test1234 guest guest@123
user user@123 user123 welcome welcome1 welcome@123 welcome123 welcome1! changeme changeme1
letmein letmein1 iloveyou iloveyou1 monkey dragon master sunshine princess football baseball
superman batman trustno1 shadow michael jennifer hello123 hello@123 huawei@123 huawei123
h3c@123 h3c123 cisco cisco123 cisco@123 zte@123 ruijie@123 sangfor@123 hikvision hik12345
abcd123! aa123456! a123456! a123456@ a12345678! a1234567! a123456. aa123123 qq123456
qq123456! qq@123456 wang123456 zhang123456 li123456 liu123456 chen123456 woaini woaini123
woaini@123 5201314a 1314520a iloveu nihao123 nihao@123 zhongguo zhongguo123 china123 china@123
beijing beijing123 beijing@2008 shanghai shanghai123 gov@123 gov123456 zf@123456 zfw@123
oa@123456 oa123456 xxzx@123 xxzx123 gongkai123 gongkai@123 zhengwu@123 zhengwu123
dianxin@123 yidong@123 liantong@123 system system@123 system123 server@123 oracle oracle123
mysql mysql123 sa@123 sa123456 postgres default default123 manager manager@123 operator
security security@123 backup backup@123 web@123 www@123 www123456 website@123 weixin@123
`;

/** base words: common when written with substitutions or wrapped in digits and symbols */
const WORDS = `
password passwd passw pass admin administrator root test guest user welcome changeme letmein
iloveyou monkey dragon master sunshine princess football baseball superman batman shadow
qwerty qwertyuiop asdfgh asdfghjkl zxcvbnm qweasd qweasdzxc abcdef abcdefg abcd abc
huawei cisco oracle mysql system server manager security default secret login hello
woaini nihao zhongguo china beijing shanghai hangzhou taizhou huangyan zhejiang
zhengwu zhengfu xinxi gov office backup website weixin wechat internet computer
`;

const passwords = new Set(PASSWORDS.split(/\s+/).filter(Boolean));
const words = new Set(WORDS.split(/\s+/).filter(Boolean));

const SUBSTITUTIONS: Record<string, string> = { "@": "a", "4": "a", "0": "o", "1": "i", "!": "i", "3": "e", $: "s", "5": "s", "7": "t", "8": "b", "9": "g" };

/** 1 reads as l as often as i: both are tried */
function readings(s: string): string[] {
  const base = Array.from(s).map((c) => SUBSTITUTIONS[c] ?? c).join("");
  const withL = Array.from(s).map((c) => (c === "1" ? "l" : SUBSTITUTIONS[c] ?? c)).join("");
  return [...new Set([base, withL])];
}

/** the password without the digits and symbols before and after its letters */
const core = (s: string) => s.replace(/^[^\p{L}]+/u, "").replace(/[^\p{L}]+$/u, "");

export function isCommonPassword(password: string): boolean {
  const p = password.normalize("NFKC").toLowerCase();
  if (passwords.has(p)) return true;
  const candidates = [core(p), ...readings(p), ...readings(p).map(core), ...readings(core(p))];
  return candidates.some((c) => words.has(c) || passwords.has(c));
}

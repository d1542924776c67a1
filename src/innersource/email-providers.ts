/**
 * Public email providers: addresses anyone can open, so their domain says nothing about
 * an employer. A person known only by such an address is *independent* (docs/innersource.md,
 * "People, teams and organisations"): not an organisation of their own in the elephant
 * factor or the organisation counts. The mapping file adds domains (`independentDomains:`)
 * and can claim one of these for an organisation (`organisations:` wins).
 *
 * An entry names a domain and its subdomains; `name.*` names that name under any
 * top-level part of one or two labels (`gmx.*`: gmx.de, gmx.net, gmx.co.uk).
 */
export const PUBLIC_EMAIL_PROVIDERS: readonly string[] = [
  // Google, Microsoft, Yahoo, Apple, AOL
  'gmail.com',
  'googlemail.com',
  'outlook.com',
  'outlook.*',
  'hotmail.com',
  'hotmail.*',
  'live.com',
  'live.*',
  'msn.com',
  'passport.com',
  'yahoo.com',
  'yahoo.*',
  'ymail.com',
  'rocketmail.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'aim.com',
  // Privacy-minded and independent providers
  'proton.me',
  'protonmail.com',
  'protonmail.ch',
  'pm.me',
  'tutanota.com',
  'tutanota.de',
  'tuta.io',
  'fastmail.com',
  'fastmail.fm',
  'hey.com',
  'zoho.com',
  'zohomail.com',
  'mailbox.org',
  'posteo.de',
  'posteo.net',
  'disroot.org',
  'riseup.net',
  // Regional providers
  'gmx.*',
  'web.de',
  't-online.de',
  'freenet.de',
  'mail.ru',
  'inbox.ru',
  'list.ru',
  'bk.ru',
  'rambler.ru',
  'yandex.*',
  'ya.ru',
  'qq.com',
  'foxmail.com',
  '163.com',
  '126.com',
  'yeah.net',
  'sina.com',
  'sohu.com',
  'aliyun.com',
  'naver.com',
  'hanmail.net',
  'daum.net',
  'free.fr',
  'orange.fr',
  'laposte.net',
  'wanadoo.fr',
  'libero.it',
  'virgilio.it',
  'seznam.cz',
  'wp.pl',
  'o2.pl',
  'interia.pl',
  'onet.pl',
  'rediffmail.com',
  'btinternet.com',
  'comcast.net',
  'verizon.net',
  'att.net',
  'sbcglobal.net',
  'bigpond.com',
  'xtra.co.nz',
  'mail.com',
  'email.com',
  'inbox.com',
  // Hosting services' private addresses
  'users.noreply.github.com',
  'users.noreply.gitlab.com',
];

/** Whether `domain` (lower case) is named by one of `patterns` (the syntax above). */
export function matchesDomain(patterns: readonly string[], domain: string): boolean {
  for (const p of patterns) {
    if (p.endsWith('.*')) {
      const prefix = p.slice(0, -1);
      if (!domain.startsWith(prefix)) continue;
      const rest = domain.slice(prefix.length);
      const dot = rest.indexOf('.');
      if (rest !== '' && (dot < 0 || (dot > 0 && rest.indexOf('.', dot + 1) < 0 && dot < rest.length - 1)))
        return true;
    } else if (domain === p || domain.endsWith(`.${p}`)) return true;
  }
  return false;
}

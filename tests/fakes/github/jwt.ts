import { verify, type KeyObject } from 'node:crypto';

export interface AppJwtClaims {
  iss: string;
  iat: number;
  exp: number;
}

/**
 * Checks an app JWT as GitHub does: RS256 signed by the app's key, issued by the app (id or client id), not expired,
 * not issued in the future (60 s leeway), and living at most 10 minutes. Returns why it is refused, or the claims.
 */
export function checkAppJwt(
  token: string,
  publicKey: KeyObject,
  appId: string,
  nowS: number,
): AppJwtClaims | { problem: string } {
  const parts = token.split('.');
  if (parts.length !== 3) return { problem: 'A JSON web token could not be decoded' };
  const [h, p, s] = parts as [string, string, string];
  let header: { alg?: string };
  let claims: Partial<AppJwtClaims>;
  try {
    header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg?: string };
    claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Partial<AppJwtClaims>;
  } catch {
    return { problem: 'A JSON web token could not be decoded' };
  }
  if (header.alg !== 'RS256') return { problem: "'alg' must be RS256" };
  if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), publicKey, Buffer.from(s, 'base64url')))
    return { problem: 'A JSON web token could not be decoded' };
  if (String(claims.iss) !== appId) return { problem: "'Issuer' claim ('iss') must be an Integer" };
  if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number')
    return { problem: "Missing 'exp' or 'iat' claim" };
  if (claims.exp <= nowS)
    return {
      problem:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
    };
  if (claims.iat > nowS + 60)
    return {
      problem: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued",
    };
  if (claims.exp - claims.iat > 600) return { problem: "'Expiration time' claim ('exp') is too far in the future" };
  return claims as AppJwtClaims;
}

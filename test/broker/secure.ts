/**
 * A secured single-node Kafka for the security tests, started on demand (its own JVM, beside the suite's
 * plaintext broker). Certificates are made at start with the openssl CLI (PEM keystores, which Kafka
 * reads directly); SCRAM users are added at format time; ACLs through the Admin API as a super user.
 *
 * Listeners (name: protocol, what it checks):
 *   SSL: SSL, server certificate for 127.0.0.1 signed by the test CA
 *   SSLWRONG: SSL, a certificate for another host name (kafka.other.example) from the same CA
 *   MTLS: SSL with ssl.client.auth=required (principal User:CN=mtls-client)
 *   SASL_SSL: SASL_SSL with PLAIN, SCRAM-SHA-256, SCRAM-SHA-512
 *   OAUTH: SASL_PLAINTEXT with OAUTHBEARER (Kafka's unsecured JWS validator: `alg: none` tokens)
 * PLAINTEXT stays the inter-broker listener; its ANONYMOUS principal is the harness's super user.
 * StandardAuthorizer; users alice (super user) and carol (only `ok-` topics and groups).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { runJava, startKafka, type KafkaCluster } from './kafka';
import { foreignEnv } from './foreign-env';

export interface Pki {
  /** The test CA (PEM) that signed every certificate below. */
  ca: string;
  /** A CA that signed nothing the broker uses. */
  otherCa: string;
  clientCert: string;
  clientKey: string;
  /** clientKey encrypted (PKCS#8, AES-256) with `clientKeyPassphrase`. */
  clientKeyEncrypted: string;
  clientKeyPassphrase: string;
  /** Directory holding the files (the CA as ca.pem, for SSL_CERT_FILE tests). */
  dir: string;
}

export interface SecureKafka {
  cluster: KafkaCluster;
  pki: Pki;
  /** Bootstrap address per listener name. */
  listeners: Record<'SSL' | 'SSLWRONG' | 'MTLS' | 'SASL_SSL' | 'OAUTH' | 'PLAINTEXT', string>;
  /** Passwords per user and mechanism ('plain', 'scram-sha-256', 'scram-sha-512'). */
  passwords: Record<'alice' | 'carol', Record<'plain' | 'scram-sha-256' | 'scram-sha-512', string>>;
  /** Every secret this broker was set up with: the leak test greps for each. */
  secrets: string[];
  stop(): Promise<void>;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], env: foreignEnv() });
}

/** A CA, then `name`.key + `name`.pem signed by it with the given subjectAltName. */
function makePki(dir: string): Pki {
  const days = '2';
  const selfSignedCa = (file: string, subject: string): void =>
    openssl(dir, [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${file}.key`,
      '-out',
      `${file}.pem`,
      '-days',
      days,
      '-subj',
      subject,
    ]);
  selfSignedCa('ca', '/CN=kafka-napi test CA');
  selfSignedCa('other-ca', '/CN=kafka-napi other CA');
  const leaf = (name: string, subject: string, ext: string): void => {
    fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
    openssl(dir, [
      'req',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      `${name}.key`,
      '-out',
      `${name}.csr`,
      '-subj',
      subject,
    ]);
    openssl(dir, [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.pem`,
      '-days',
      days,
      '-extfile',
      `${name}.ext`,
    ]);
    // Kafka's PEM keystore: the private key (PKCS#8) followed by the certificate chain.
    const text = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
    fs.writeFileSync(
      path.join(dir, `${name}.keystore.pem`),
      text(`${name}.key`) + text(`${name}.pem`) + text('ca.pem'),
    );
  };
  leaf(
    'broker',
    '/CN=127.0.0.1',
    'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
  );
  leaf('wrong', '/CN=kafka.other.example', 'subjectAltName=DNS:kafka.other.example\nextendedKeyUsage=serverAuth\n');
  leaf('client', '/CN=mtls-client', 'extendedKeyUsage=clientAuth\n');
  const clientKeyPassphrase = `pass-${randomBytes(12).toString('hex')}`;
  openssl(dir, [
    'pkcs8',
    '-topk8',
    '-v2',
    'aes-256-cbc',
    '-in',
    'client.key',
    '-out',
    'client-enc.key',
    '-passout',
    `pass:${clientKeyPassphrase}`,
  ]);
  const read = (f: string): string => fs.readFileSync(path.join(dir, f), 'utf8');
  return {
    ca: read('ca.pem'),
    otherCa: read('other-ca.pem'),
    clientCert: read('client.pem'),
    clientKey: read('client.key'),
    clientKeyEncrypted: read('client-enc.key'),
    clientKeyPassphrase,
    dir,
  };
}

const secret = (label: string): string => `${label}-${randomBytes(12).toString('hex')}`;

export async function startSecureKafka(): Promise<SecureKafka> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kafka-napi-pki-'));
  const pki = makePki(dir);
  const passwords = {
    alice: {
      plain: secret('alice-plain'),
      'scram-sha-256': secret('alice-s256'),
      'scram-sha-512': secret('alice-s512'),
    },
    carol: {
      plain: secret('carol-plain'),
      'scram-sha-256': secret('carol-s256'),
      'scram-sha-512': secret('carol-s512'),
    },
  };
  const keystore = (name: string, listener: string): Record<string, string> => ({
    [`listener.name.${listener}.ssl.keystore.type`]: 'PEM',
    [`listener.name.${listener}.ssl.keystore.location`]: path.join(dir, `${name}.keystore.pem`),
  });
  const plainJaas =
    'org.apache.kafka.common.security.plain.PlainLoginModule required ' +
    `user_alice="${passwords.alice.plain}" user_carol="${passwords.carol.plain}";`;
  const scramJaas = 'org.apache.kafka.common.security.scram.ScramLoginModule required;';
  const scram = (mechanism: 'SCRAM-SHA-256' | 'SCRAM-SHA-512', key: 'scram-sha-256' | 'scram-sha-512'): string[] =>
    (['alice', 'carol'] as const).flatMap((user) => [
      '--add-scram',
      `${mechanism}=[name=${user},password=${passwords[user][key]}]`,
    ]);
  const cluster = await startKafka({
    listeners: { SSL: 'SSL', SSLWRONG: 'SSL', MTLS: 'SSL', SASL_SSL: 'SASL_SSL', OAUTH: 'SASL_PLAINTEXT' },
    formatArgs: [...scram('SCRAM-SHA-256', 'scram-sha-256'), ...scram('SCRAM-SHA-512', 'scram-sha-512')],
    properties: {
      ...keystore('broker', 'ssl'),
      ...keystore('wrong', 'sslwrong'),
      ...keystore('broker', 'mtls'),
      'listener.name.mtls.ssl.truststore.type': 'PEM',
      'listener.name.mtls.ssl.truststore.location': path.join(dir, 'ca.pem'),
      'listener.name.mtls.ssl.client.auth': 'required',
      ...keystore('broker', 'sasl_ssl'),
      'listener.name.sasl_ssl.sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256,SCRAM-SHA-512',
      'listener.name.sasl_ssl.plain.sasl.jaas.config': plainJaas,
      'listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config': scramJaas,
      'listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config': scramJaas,
      'listener.name.oauth.sasl.enabled.mechanisms': 'OAUTHBEARER',
      'listener.name.oauth.oauthbearer.sasl.jaas.config':
        'org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required;',
      // Re-authentication (KIP-368) on, as managed services run it: a session ends with its token.
      'listener.name.oauth.oauthbearer.connections.max.reauth.ms': 3_600_000,
      'authorizer.class.name': 'org.apache.kafka.metadata.authorizer.StandardAuthorizer',
      'super.users': 'User:ANONYMOUS;User:alice;User:CN=mtls-client',
      'allow.everyone.if.no.acl.found': false,
      // A broker that rejects an authentication answers at once (the default delays failures by 100 ms).
      'connection.failed.authentication.delay.ms': 0,
    },
  });
  const listeners = { ...cluster.listeners, PLAINTEXT: cluster.bootstrapServers } as SecureKafka['listeners'];
  // carol: only topics and groups named ok-*.
  const acl = (resource: string, operation: string): string => `User:carol|${resource}|PREFIXED|ok-|${operation}`;
  runJava(path.join(__dirname, 'tools', 'Acls.java'), [
    listeners.PLAINTEXT,
    acl('TOPIC', 'WRITE'),
    acl('TOPIC', 'READ'),
    acl('TOPIC', 'DESCRIBE'),
    acl('TOPIC', 'CREATE'),
    acl('GROUP', 'READ'),
    acl('GROUP', 'DESCRIBE'),
  ]);
  return {
    cluster,
    pki,
    listeners,
    passwords,
    secrets: [
      ...Object.values(passwords.alice),
      ...Object.values(passwords.carol),
      pki.clientKeyPassphrase,
      // A recognisable line from the middle of each private key.
      pki.clientKey.split('\n')[5],
      pki.clientKeyEncrypted.split('\n')[5],
    ],
    async stop() {
      await cluster.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** An unsecured JWS (`alg: none`) token as Kafka's default OAUTHBEARER validator accepts it. */
export function unsecuredJwt(subject: string, lifetimeMs: number): string {
  const now = Date.now();
  const part = (o: object): string => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: subject, iat: Math.floor(now / 1000), exp: Math.ceil((now + lifetimeMs) / 1000) })}.`;
}

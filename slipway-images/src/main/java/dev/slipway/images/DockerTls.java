package dev.slipway.images;

import com.github.dockerjava.core.SSLConfig;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS to a Docker engine ({@code DOCKER_TLS_VERIFY=1}): the CAs of {@code ca.pem}, the client certificate chain of
 * {@code cert.pem} and its key in {@code key.pem}, from {@code DOCKER_CERT_PATH} (default {@code ~/.docker}), read with
 * the JDK alone. docker-java's own reader needs Bouncy Castle, which would be a sixth of the release jar for this.
 * <p>
 * Keys: unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY}: RSA, EC, Ed25519), PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY})
 * and SEC1 EC ({@code BEGIN EC PRIVATE KEY}, as {@code openssl genrsa} and {@code openssl ecparam -genkey} write them).
 * Any other key, encrypted ones included, is refused with the file's path and the openssl command that converts it.
 */
final class DockerTls implements SSLConfig {
    /** No TLS: the engine is a Unix socket or plain tcp://. */
    static final DockerTls NONE = new DockerTls(null);

    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);
    private static final char[] STORE_PASSWORD = "slipway".toCharArray();
    private static final byte[] RSA_ENCRYPTION = {0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01};
    private static final byte[] EC_PUBLIC_KEY = {0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01};
    private static final byte[] DER_NULL = {0x05, 0x00};
    private static final byte[] VERSION_0 = {0x02, 0x01, 0x00};

    private final SSLContext context;

    private DockerTls(SSLContext context) {
        this.context = context;
    }

    /** The context docker-java's HTTP client uses; null without TLS. */
    @Override
    public SSLContext getSSLContext() {
        return context;
    }

    boolean enabled() {
        return context != null;
    }

    /**
     * TLS as Docker's variables ask for it: on when {@code DOCKER_TLS_VERIFY} is {@code 1} or {@code true} (as
     * docker-java read it), with the files of {@code DOCKER_CERT_PATH} or {@code ~/.docker}.
     */
    static DockerTls fromEnvironment(UnaryOperator<String> env) {
        String verify = Optional.ofNullable(env.apply("DOCKER_TLS_VERIFY")).map(String::trim).orElse("");
        if (!verify.equals("1") && !verify.equalsIgnoreCase("true")) {
            return NONE;
        }
        String certPath = env.apply("DOCKER_CERT_PATH");
        Path dir = certPath != null && !certPath.isBlank() ? Path.of(certPath)
                : Path.of(System.getProperty("user.home"), ".docker");
        return new DockerTls(context(dir));
    }

    /** The client context of {@code dir}'s ca.pem, cert.pem and key.pem; a {@link SlipwayException} naming the file that is wrong. */
    static SSLContext context(Path dir) {
        Path caFile = dir.resolve("ca.pem");
        Path certFile = dir.resolve("cert.pem");
        Path keyFile = dir.resolve("key.pem");
        List<X509Certificate> cas = certificates(caFile);
        List<X509Certificate> chain = certificates(certFile);
        PrivateKey key = privateKey(keyFile);
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("docker", key, STORE_PASSWORD, chain.toArray(new Certificate[0]));
            KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keyManagers.init(keys, STORE_PASSWORD);
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            for (int i = 0; i < cas.size(); i++) {
                trusted.setCertificateEntry("ca-" + i, cas.get(i));
            }
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new SlipwayException(ErrorCode.BAD_CONFIG, "cannot set up TLS to the container engine from " + dir
                    + " (DOCKER_TLS_VERIFY is set): " + e.getMessage(), e);
        }
    }

    private static List<X509Certificate> certificates(Path file) {
        List<X509Certificate> certificates = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (Block block : blocks(file)) {
                if (block.type().equals("CERTIFICATE")) {
                    certificates.add((X509Certificate) factory.generateCertificate(new ByteArrayInputStream(block.der())));
                }
            }
        } catch (GeneralSecurityException e) {
            throw bad(file, "is not a readable X.509 certificate: " + e.getMessage(), e);
        }
        if (certificates.isEmpty()) {
            throw bad(file, "holds no PEM certificate (-----BEGIN CERTIFICATE-----)", null);
        }
        return certificates;
    }

    private static PrivateKey privateKey(Path file) {
        Block block = blocks(file).stream().filter(b -> b.type().endsWith("PRIVATE KEY")).findFirst()
                .orElseThrow(() -> bad(file, "holds no PEM private key (-----BEGIN PRIVATE KEY-----)", null));
        if (block.encrypted() || block.type().equals("ENCRYPTED PRIVATE KEY")) {
            throw bad(file, "is encrypted; Slipway reads unencrypted keys only. Decrypt it with: openssl pkey -in "
                    + file + " -out key-plain.pem, and use that as key.pem", null);
        }
        try {
            return switch (block.type()) {
                case "PRIVATE KEY" -> pkcs8(block.der());
                case "RSA PRIVATE KEY" -> KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(
                        der(0x30, VERSION_0, der(0x30, RSA_ENCRYPTION, DER_NULL), der(0x04, block.der()))));
                case "EC PRIVATE KEY" -> KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(
                        der(0x30, VERSION_0, der(0x30, EC_PUBLIC_KEY, curve(file, block.der())), der(0x04, block.der()))));
                default -> throw bad(file, "holds a key of an unsupported format (-----BEGIN " + block.type()
                        + "-----); Slipway reads unencrypted PKCS#8, PKCS#1 RSA and SEC1 EC keys. Convert it with: "
                        + "openssl pkcs8 -topk8 -nocrypt -in " + file + " -out key-pkcs8.pem, and use that as key.pem", null);
            };
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw bad(file, "is not a readable " + block.type().toLowerCase() + ": " + e.getMessage(), e);
        }
    }

    /** A PKCS#8 key: its algorithm is one of those a Docker client key can be. */
    private static PrivateKey pkcs8(byte[] der) throws GeneralSecurityException {
        GeneralSecurityException last = null;
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                last = e;
            }
        }
        throw new GeneralSecurityException("neither an RSA, EC nor Ed25519 key (" + last.getMessage() + ")", last);
    }

    /**
     * The curve OID (whole TLV) of a SEC1 ECPrivateKey: SEQUENCE { INTEGER 1, OCTET STRING key, [0] OID curve
     * OPTIONAL, [1] BIT STRING public key OPTIONAL }. PKCS#8 needs it in the algorithm identifier.
     */
    private static byte[] curve(Path file, byte[] sec1) {
        Der outer = Der.at(sec1, 0);
        if (outer.tag() != 0x30) {
            throw new IllegalArgumentException("not a DER SEQUENCE");
        }
        int at = outer.start();
        while (at < outer.end()) {
            Der element = Der.at(sec1, at);
            if (element.tag() == 0xa0) {
                Der oid = Der.at(sec1, element.start());
                if (oid.tag() != 0x06) {
                    break;
                }
                return java.util.Arrays.copyOfRange(sec1, element.start(), oid.end());
            }
            at = element.end();
        }
        throw bad(file, "is an EC key that names no curve; convert it with: openssl pkcs8 -topk8 -nocrypt -in " + file
                + " -out key-pkcs8.pem, and use that as key.pem", null);
    }

    /** A DER tag-length-value: its tag, where its contents start and where it ends in the enclosing array. */
    private record Der(int tag, int start, int end) {
        static Der at(byte[] der, int at) {
            if (at + 2 > der.length) {
                throw new IllegalArgumentException("DER ends early");
            }
            int tag = der[at] & 0xff;
            int length = der[at + 1] & 0xff;
            int start = at + 2;
            if (length > 0x80) {
                int bytes = length - 0x80;
                if (bytes > 3 || start + bytes > der.length) {
                    throw new IllegalArgumentException("bad DER length");
                }
                length = 0;
                for (int i = 0; i < bytes; i++) {
                    length = (length << 8) | (der[start + i] & 0xff);
                }
                start += bytes;
            } else if (length == 0x80) {
                throw new IllegalArgumentException("indefinite DER length");
            }
            if (start + length > der.length) {
                throw new IllegalArgumentException("DER ends early");
            }
            return new Der(tag, start, start + length);
        }
    }

    private static byte[] der(int tag, byte[]... contents) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] c : contents) {
            body.writeBytes(c);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int length = body.size();
        if (length < 0x80) {
            out.write(length);
        } else {
            int bytes = length < 0x100 ? 1 : length < 0x10000 ? 2 : 3;
            out.write(0x80 | bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                out.write(length >>> (8 * i));
            }
        }
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    /** One PEM block: its type ("CERTIFICATE", "RSA PRIVATE KEY", …), whether its headers say it is encrypted, its DER bytes. */
    private record Block(String type, boolean encrypted, byte[] der) {
    }

    private static List<Block> blocks(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw bad(file, "cannot be read (" + e + ")", e);
        }
        List<Block> blocks = new ArrayList<>();
        Matcher m = PEM.matcher(text);
        while (m.find()) {
            StringBuilder base64 = new StringBuilder();
            boolean encrypted = false;
            for (String line : m.group(2).split("\r?\n")) {
                if (line.contains(":")) { // RFC 1421 headers of traditional OpenSSL keys, e.g. Proc-Type: 4,ENCRYPTED
                    encrypted |= line.startsWith("Proc-Type:") && line.contains("ENCRYPTED");
                } else {
                    base64.append(line.strip());
                }
            }
            try {
                blocks.add(new Block(m.group(1), encrypted, Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw bad(file, "has a PEM block (" + m.group(1) + ") that is not base64: " + e.getMessage(), e);
            }
        }
        return blocks;
    }

    private static SlipwayException bad(Path file, String what, Throwable cause) {
        return new SlipwayException(ErrorCode.BAD_CONFIG, "Docker TLS (DOCKER_TLS_VERIFY): " + file + " " + what, cause);
    }
}

package dev.slipway.images;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import dev.slipway.core.ErrorCode;
import dev.slipway.core.SlipwayException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * DockerTls against PEM files that openssl writes at test time: a CA, a server certificate for 127.0.0.1 and client
 * keys in each format Slipway reads. The proof a key was read right is a TLS handshake with client authentication,
 * through docker-java's HTTP client, against an HTTPS server that answers the Docker ping.
 */
class DockerTlsTest {
    @TempDir
    static Path pki;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificateAuthorityAndServer() throws Exception {
        openssl(pki, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca-key.pem", "-out", "ca.pem", "-days", "2",
                "-subj", "/CN=test-ca");
        Path server = Files.createDirectories(pki.resolve("server"));
        Files.copy(pki.resolve("ca.pem"), server.resolve("ca.pem"));
        openssl(server, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "key.pem");
        sign(server, "server", "subjectAltName=IP:127.0.0.1\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "PKCS#8 RSA (BEGIN PRIVATE KEY)   | genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem | -----BEGIN PRIVATE KEY-----",
            "PKCS#1 RSA (BEGIN RSA PRIVATE KEY) | genrsa -traditional -out key.pem 2048                            | -----BEGIN RSA PRIVATE KEY-----",
            "SEC1 EC (BEGIN EC PRIVATE KEY)   | ecparam -name prime256v1 -genkey -out key.pem                       | -----BEGIN EC PRIVATE KEY-----",
            "SEC1 EC P-384                     | ecparam -name secp384r1 -genkey -noout -out key.pem                 | -----BEGIN EC PRIVATE KEY-----",
            "PKCS#8 EC (BEGIN PRIVATE KEY)    | genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out key.pem | -----BEGIN PRIVATE KEY-----",
            "PKCS#8 Ed25519 (BEGIN PRIVATE KEY) | genpkey -algorithm ED25519 -out key.pem                          | -----BEGIN PRIVATE KEY-----",
    })
    void fromEnvironment_clientKeyFormat_dockerJavaPingsOverTlsWithThatClientCertificate(String format, String generate,
                                                                                         String header) throws Exception {
        Path client = clientDir(generate);
        assertThat(Files.readString(client.resolve("key.pem"))).as("openssl wrote the format under test").contains(header);
        List<String> peers = new CopyOnWriteArrayList<>();
        HttpsServer server = dockerPingServer(peers);
        try {
            Map<String, String> env = Map.of("DOCKER_HOST", "tcp://127.0.0.1:" + server.getAddress().getPort(),
                    "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", client.toString());

            try (DockerClient docker = DockerClients.fromEnvironment(env::get)) {
                assertThat(peers).containsExactly("CN=client");
            }
        } finally {
            server.stop(0);
        }
    }

    @Test
    void fromEnvironment_withoutDockerTlsVerify_noTls() {
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_CERT_PATH", dir.toString())::get).enabled()).isFalse();
        assertThat(DockerTls.fromEnvironment(Map.of("DOCKER_TLS_VERIFY", "0")::get).enabled()).isFalse();
    }

    @Test
    void context_encryptedTraditionalKey_refusedNamingTheFileAndHowToDecryptIt() throws Exception {
        Path client = clientDir("genrsa -traditional -aes128 -passout pass:secret -out key.pem 2048", "-passin", "pass:secret");

        assertThatThrownBy(() -> DockerTls.context(client))
                .isInstanceOfSatisfying(SlipwayException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.BAD_CONFIG))
                .hasMessage("Docker TLS (DOCKER_TLS_VERIFY): " + client.resolve("key.pem") + " is encrypted; Slipway reads "
                        + "unencrypted keys only. Decrypt it with: openssl pkey -in " + client.resolve("key.pem")
                        + " -out key-plain.pem, and use that as key.pem");
    }

    @Test
    void context_encryptedPkcs8Key_refusedNamingTheFile() throws Exception {
        Path client = clientDir("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -aes128 -pass pass:secret -out key.pem",
                "-passin", "pass:secret");

        assertThatThrownBy(() -> DockerTls.context(client))
                .hasMessageStartingWith("Docker TLS (DOCKER_TLS_VERIFY): " + client.resolve("key.pem") + " is encrypted;");
    }

    @Test
    void context_keyOfAnotherFormat_refusedNamingTheFileAndTheConversion() throws Exception {
        Path client = clientDir("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem");
        Path key = client.resolve("key.pem");
        Files.writeString(key, "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n");

        assertThatThrownBy(() -> DockerTls.context(client))
                .isInstanceOf(SlipwayException.class)
                .hasMessage("Docker TLS (DOCKER_TLS_VERIFY): " + key + " holds a key of an unsupported format (-----BEGIN "
                        + "OPENSSH PRIVATE KEY-----); Slipway reads unencrypted PKCS#8, PKCS#1 RSA and SEC1 EC keys. Convert it "
                        + "with: openssl pkcs8 -topk8 -nocrypt -in " + key + " -out key-pkcs8.pem, and use that as key.pem");
    }

    @Test
    void context_missingCa_refusedNamingTheFile() throws Exception {
        Path client = clientDir("genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out key.pem");
        Files.delete(client.resolve("ca.pem"));

        assertThatThrownBy(() -> DockerTls.context(client))
                .isInstanceOf(SlipwayException.class)
                .hasMessageStartingWith("Docker TLS (DOCKER_TLS_VERIFY): " + client.resolve("ca.pem") + " cannot be read");
    }

    /** A DOCKER_CERT_PATH: ca.pem, key.pem as {@code generate} writes it, cert.pem for CN=client signed by the CA. */
    private Path clientDir(String generate, String... keyPassword) throws Exception {
        Path client = Files.createDirectories(dir.resolve("client"));
        Files.copy(pki.resolve("ca.pem"), client.resolve("ca.pem"));
        openssl(client, generate.trim().split("\\s+"));
        List<String> req = new ArrayList<>(List.of("req", "-new", "-key", "key.pem", "-subj", "/CN=client", "-out", "client.csr"));
        req.addAll(List.of(keyPassword));
        openssl(client, req.toArray(String[]::new));
        sign(client, "client", "extendedKeyUsage=clientAuth\n");
        return client;
    }

    /** Signs {@code dir}/{@code name}.csr (made here for the server) with the CA into {@code dir}/cert.pem. */
    private static void sign(Path dir, String name, String extensions) throws Exception {
        if (!Files.exists(dir.resolve(name + ".csr"))) {
            openssl(dir, "req", "-new", "-key", "key.pem", "-subj", "/CN=" + name, "-out", name + ".csr");
        }
        Files.writeString(dir.resolve("ext.cnf"), extensions);
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", pki.resolve("ca.pem").toString(), "-CAkey",
                pki.resolve("ca-key.pem").toString(), "-CAcreateserial", "-out", "cert.pem", "-days", "2", "-extfile", "ext.cnf");
    }

    /** An HTTPS server that needs a client certificate the CA signed, records its subject and answers the Docker ping. */
    private static HttpsServer dockerPingServer(List<String> peers) throws IOException {
        SSLContext context = DockerTls.context(pki.resolve("server"));
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(context) {
            @Override
            public void configure(HttpsParameters params) {
                SSLParameters tls = context.getDefaultSSLParameters();
                tls.setNeedClientAuth(true);
                params.setSSLParameters(tls);
            }
        });
        server.createContext("/", exchange -> {
            try {
                peers.add(((HttpsExchange) exchange).getSSLSession().getPeerPrincipal().getName());
            } catch (SSLPeerUnverifiedException e) {
                peers.add("unverified");
            }
            byte[] ok = "OK".getBytes(StandardCharsets.US_ASCII);
            exchange.sendResponseHeaders(200, ok.length);
            exchange.getResponseBody().write(ok);
            exchange.close();
        });
        server.start();
        return server;
    }

    private static void openssl(Path dir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("openssl %s: %s", String.join(" ", args), out).isZero();
    }
}

package dev.slipway.examples.hello;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;

/** The per-stage counter in Redis ({@code hello:<stage>:counter}). */
final class RedisCounter {

    private final JedisPool pool;
    private final String key;

    RedisCounter(JedisPool pool, String stage) {
        this.pool = pool;
        this.key = "hello:" + stage + ":counter";
    }

    String key() {
        return key;
    }

    long increment() {
        try (Jedis jedis = pool.getResource()) {
            return jedis.incr(key);
        }
    }

    void ping() {
        try (Jedis jedis = pool.getResource()) {
            String answer = jedis.ping();
            if (!"PONG".equals(answer)) {
                throw new IllegalStateException("PING answered " + answer);
            }
        }
    }
}

package dev.scoria.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ScoriaException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Service-name globs, lifetimes and what each role is told when refused. */
class AccessRulesTest {

    @Test
    void globsMatchWholeServiceNames() {
        ServicePatterns fraud = new ServicePatterns(List.of("fraud-*", "risk-?"));
        assertThat(fraud.matches("fraud-a")).isTrue();
        assertThat(fraud.matches("fraud-")).isTrue();
        assertThat(fraud.matches("fraud-eu-west")).isTrue();
        assertThat(fraud.matches("fraud")).isFalse();
        assertThat(fraud.matches("xfraud-a")).isFalse();
        assertThat(fraud.matches("risk-1")).isTrue();
        assertThat(fraud.matches("risk-12")).isFalse();
        assertThat(fraud.matches(null)).isFalse();
        assertThat(new ServicePatterns(List.of("*-prod")).matches("fraud-prod")).isTrue();
        assertThat(new ServicePatterns(List.of("*-prod")).matches("fraud-prod-2"))
                .isFalse();
        assertThat(new ServicePatterns(List.of("a*b*c")).matches("axxbyyc")).isTrue();
        assertThat(new ServicePatterns(List.of("a*b*c")).matches("axxbyy")).isFalse();
        assertThat(ServicePatterns.ALL.matches("anything")).isTrue();
        assertThat(ServicePatterns.ALL.toString()).isEqualTo("*");
    }

    @Test
    @Timeout(2)
    void aPathologicalGlobStaysFast() {
        ServicePatterns many = new ServicePatterns(List.of("a*a*a*a*a*a*a*a*a*a*b"));
        assertThat(many.matches("a".repeat(32))).isFalse();
    }

    @Test
    void globsAreServiceNameCharactersWildcardsOnly() {
        for (String bad : new String[] {"Fraud-*", "fraud/*", "", "fraud.*", "x".repeat(65)}) {
            assertThatThrownBy(() -> new ServicePatterns(List.of(bad)))
                    .isInstanceOf(ScoriaException.class)
                    .hasMessageContaining("saw '" + bad + "'");
        }
    }

    @Test
    void lifetimesAreAWholeNumberAndAUnitOrNever() {
        assertThat(Lifetime.parse("f", "30d")).contains(Duration.ofDays(30));
        assertThat(Lifetime.parse("f", "12h")).contains(Duration.ofHours(12));
        assertThat(Lifetime.parse("f", "90m")).contains(Duration.ofMinutes(90));
        assertThat(Lifetime.parse("f", "45s")).contains(Duration.ofSeconds(45));
        assertThat(Lifetime.parse("f", "2w")).contains(Duration.ofDays(14));
        assertThat(Lifetime.parse("f", "never")).isEqualTo(Optional.empty());
        for (String bad : new String[] {"0d", "-1d", "1y", "soon", "", "1.5h", "012d"}) {
            assertThatThrownBy(() -> Lifetime.parse("--expires", bad))
                    .hasMessageStartingWith("--expires must be a whole number followed by s, m, h, d or w");
        }
        // Written as a lifetime, but too long: said so, not that it is written wrong.
        assertThatThrownBy(() -> Lifetime.parse("--expires", "12345678d"))
                .hasMessage(
                        "--expires is '12345678d': at most 9999999 of a unit (e.g. 3650d for ten years), or 'never'");
    }

    @Test
    void refusalsNameTheRoleTheActionAndWhoMay() {
        Caller reader = new Caller("r", Role.READER, ServicePatterns.ALL);
        assertThat(reader.refusal(Right.READ, "list services")).isEmpty();
        assertThat(reader.refusal(Right.KEYS, "regenerate keys of", "x"))
                .contains(
                        "this token's role 'reader' cannot regenerate keys of service 'x' (needs role keys or admin)");
        assertThat(reader.refusal(Right.DEPLOY, "register models"))
                .contains("this token's role 'reader' cannot register models (needs role deployer or admin)");
        assertThat(reader.refusal(Right.ADMIN, "read the audit log"))
                .contains("this token's role 'reader' cannot read the audit log (needs role admin)");

        Caller limited = new Caller("d", Role.DEPLOYER, new ServicePatterns(List.of("fraud-*")));
        assertThat(limited.refusal(Right.DEPLOY, "delete", "fraud-a")).isEmpty();
        assertThat(limited.refusal(Right.READ, "show", "other")).isEmpty();
        assertThat(limited.refusal(Right.DEPLOY, "delete", "other"))
                .contains(
                        "this token (role deployer) is limited to services 'fraud-*' and cannot delete service 'other'");
        assertThat(limited.refusal(Right.DEPLOY, "register models")).isEmpty();
        assertThat(limited.refusalUnlessUnlimited(Right.DEPLOY, "delete models"))
                .hasValueSatisfying(m -> assertThat(m).contains("needs a token not limited to services"));
        assertThat(limited.refusal(Right.KEYS, "read the keys of", "fraud-a"))
                .hasValueSatisfying(m -> assertThat(m).contains("needs role keys or admin"));

        assertThat(Caller.ADMIN_TOKEN.refusalUnlessUnlimited(Right.ADMIN, "create access tokens"))
                .isEmpty();
        assertThat(Role.parse(" Deployer ")).isEqualTo(Role.DEPLOYER);
        assertThatThrownBy(() -> Role.parse("owner"))
                .hasMessage("field 'role' must be one of reader, deployer, keys, admin, saw 'owner'");
    }

    @Test
    void onlyWellFormedTokensYieldAnId() {
        assertThat(AccessTokens.idOf("scoria_abcdefghij12_secret_with_underscores"))
                .contains("abcdefghij12");
        assertThat(AccessTokens.idOf("scoria_ABCDEFGHIJ12_x")).isEmpty();
        assertThat(AccessTokens.idOf("scoria_short_x")).isEmpty();
        assertThat(AccessTokens.idOf("scoria_abcdefghij12")).isEmpty();
        assertThat(AccessTokens.idOf("not-an-access-token")).isEmpty();
        assertThat(AccessTokens.idOf(null)).isEmpty();
    }
}

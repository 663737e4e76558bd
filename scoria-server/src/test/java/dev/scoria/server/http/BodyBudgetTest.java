package dev.scoria.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.scoria.core.ErrorKind;
import org.junit.jupiter.api.Test;

class BodyBudgetTest {

    @Test
    void bodiesGetInWhileTheyFitAndTheirRoomComesBackOnRelease() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Hold a = budget.take(60);
        BodyBudget.Hold b = budget.take(40);
        assertThat(a).isNotNull();
        assertThat(b).isNotNull();
        assertThat(budget.held()).isEqualTo(100);
        assertThat(budget.take(1)).isNull();
        a.release();
        assertThat(budget.held()).isEqualTo(40);
        assertThat(budget.take(60)).isNotNull();
    }

    @Test
    void aHoldIsGivenBackOnceHoweverOftenItIsReleased() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Hold a = budget.take(30);
        budget.take(20);
        a.release();
        a.release();
        assertThat(budget.held()).isEqualTo(20);
    }

    @Test
    void aBodyLargerThanTheWholeBudgetGetsInOnlyAlone() {
        BodyBudget budget = new BodyBudget(100);
        BodyBudget.Hold small = budget.take(1);
        assertThat(budget.take(500)).isNull();
        small.release();
        BodyBudget.Hold big = budget.take(500);
        assertThat(big).isNotNull();
        assertThat(budget.take(1)).isNull();
        big.release();
        assertThat(budget.held()).isZero();
    }

    @Test
    void theRefusalSaysWhatIsHeldWhatWasAskedAndTheLimit() {
        BodyBudget budget = new BodyBudget(4L * 1024 * 1024);
        budget.take(3L * 1024 * 1024);
        assertThat(budget.refusal(2L * 1024 * 1024))
                .satisfies(e -> assertThat(e.kind()).isEqualTo(ErrorKind.OVERLOADED))
                .hasMessage("the server holds 3.0 MiB of request bodies being read or scored, and this request's"
                        + " 2.0 MiB body does not fit within its limit of 4.0 MiB (--max-bodies-in-flight-mb);"
                        + " retry shortly");
    }

    @Test
    void theLimitIsPositive() {
        assertThatThrownBy(() -> new BodyBudget(0)).hasMessageContaining("expected more than 0");
    }
}

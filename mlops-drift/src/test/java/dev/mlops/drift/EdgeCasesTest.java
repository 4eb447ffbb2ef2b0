package dev.mlops.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The input rules chosen for the plain statistical functions, pinned. */
class EdgeCasesTest {

    static final double[] SOME = {1.0, 2.0, 3.0, 4.0, 5.0};

    @Nested
    class EmptyAndMissing {

        @Test
        void everyNumericalMethodNamesTheEmptySide() {
            for (DriftMethod m : DriftMethod.values()) {
                if (!m.acceptsNumerical()) {
                    continue;
                }
                assertThatThrownBy(() -> m.apply(new double[0], SOME)).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference sample is empty");
                assertThatThrownBy(() -> m.apply(SOME, new double[0])).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current sample is empty");
            }
        }

        @Test
        void everyCategoricalMethodNamesTheEmptySide() {
            String[] some = {"a", "b"};
            for (DriftMethod m : DriftMethod.values()) {
                if (!m.acceptsCategorical()) {
                    continue;
                }
                assertThatThrownBy(() -> m.apply(new String[0], some)).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference sample is empty");
                assertThatThrownBy(() -> m.apply(some, new String[0])).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current sample is empty");
            }
        }

        @Test
        void nanIsRejectedWithSideAndIndexByEveryMethod() {
            double[] withNan = {1.0, 2.0, Double.NaN, 4.0};
            for (DriftMethod m : DriftMethod.values()) {
                if (!m.acceptsNumerical()) {
                    continue;
                }
                assertThatThrownBy(() -> m.apply(SOME, withNan)).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("current sample has NaN at index 2");
                assertThatThrownBy(() -> m.apply(withNan, SOME)).as(m.id())
                        .hasMessageContaining("reference sample has NaN at index 2");
            }
        }

        @Test
        void nullCategoryIsRejected() {
            assertThatThrownBy(() -> CategoricalTests.chiSquareGoodnessOfFit(new String[] {"a"}, new String[] {"a", null}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current sample has null at index 1");
        }

        @Test
        void nullArraysAreNamed() {
            assertThatThrownBy(() -> NumericalTests.kolmogorovSmirnov(null, SOME))
                    .isInstanceOf(NullPointerException.class).hasMessage("reference");
            assertThatThrownBy(() -> BinnedDistances.psi((String[]) null, new String[] {"a"}))
                    .isInstanceOf(NullPointerException.class).hasMessage("reference");
        }

        @Test
        void inputsAreNotModified() {
            double[] ref = {3.0, -0.0, 1.0, 2.0, 7.5};
            double[] cur = {5.0, 4.0, 0.0, 6.5, -1.0};
            double[] refCopy = ref.clone();
            double[] curCopy = cur.clone();
            for (DriftMethod m : DriftMethod.values()) {
                if (m.acceptsNumerical() && m != DriftMethod.Z && m != DriftMethod.FISHER_EXACT) {
                    m.apply(ref, cur);
                }
            }
            assertThat(ref).isEqualTo(refCopy);
            assertThat(cur).isEqualTo(curCopy);
        }
    }

    @Nested
    class Infinities {

        @Test
        void rankTestsTreatInfinitiesAsExtremeValues() {
            double[] ref = {Double.NEGATIVE_INFINITY, 1, 2, 3, 4, 5, 6, 7, 8, Double.POSITIVE_INFINITY};
            double[] finite = {-1e300, 1, 2, 3, 4, 5, 6, 7, 8, 1e300};
            double[] cur = {2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10.5};
            for (DriftMethod m : List.of(DriftMethod.KS, DriftMethod.CVM, DriftMethod.ANDERSON, DriftMethod.MANN_WHITNEY)) {
                assertThat(m.acceptsInfinity()).isTrue();
                assertThat(m.apply(ref, cur)).as(m.id()).isEqualTo(m.apply(finite, cur));
            }
        }

        @Test
        void momentAndBinnedMethodsRejectInfinities() {
            double[] inf = {1, 2, Double.POSITIVE_INFINITY};
            for (DriftMethod m : DriftMethod.values()) {
                if (!m.acceptsNumerical() || m.acceptsInfinity()) {
                    continue;
                }
                assertThatThrownBy(() -> m.apply(SOME, inf)).as(m.id())
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("current sample has Infinity at index 2");
            }
        }

        @Test
        void categoricalTestsOnNumbersTreatInfinityAsACategory() {
            double[] ref = {0, 1, Double.POSITIVE_INFINITY, 1};
            StatResult r = DriftMethod.CHI2_CONTINGENCY.apply(ref, ref.clone());
            assertThat(r).isEqualTo(StatResult.test(0.0, 1.0));
        }
    }

    @Nested
    class ConstantSamples {

        @Test
        void normalizedWassersteinUsesTheFloorForAConstantReference() {
            StatResult r = NumericalTests.normalizedWasserstein(new double[] {5, 5, 5}, new double[] {5.002, 5.002});
            assertThat(r.statistic()).isCloseTo(2.0, within(1e-9));
        }

        @Test
        void normalizedWassersteinDividesByThePopulationStd() {
            // std(ddof=0) of {0, 2} is 1; W({0, 2}, {1, 3}) = 1
            assertThat(NumericalTests.normalizedWasserstein(new double[] {0, 2}, new double[] {1, 3}).statistic())
                    .isCloseTo(1.0, within(1e-15));
        }

        @Test
        void constantSamplesThatDifferAreMaximallyDifferentForKs() {
            StatResult r = NumericalTests.kolmogorovSmirnov(new double[] {1, 1, 1, 1, 1}, new double[] {2, 2, 2, 2, 2});
            assertThat(r.statistic()).isEqualTo(1.0);
            assertThat(r.pValue().getAsDouble()).isCloseTo(2.0 / 252, within(1e-15)); // 2 / C(10, 5)
        }

        @Test
        void welchTOfConstantSamples() {
            assertThat(NumericalTests.welchT(new double[] {3, 3}, new double[] {3, 3, 3})).isEqualTo(StatResult.test(0.0, 1.0));
            assertThat(NumericalTests.welchT(new double[] {3, 3}, new double[] {4, 4, 4}))
                    .isEqualTo(StatResult.test(Double.NEGATIVE_INFINITY, 0.0));
        }

        @Test
        void andersonDarlingOfOneDistinctValueIsTheIdenticalSampleResult() {
            StatResult constant = NumericalTests.andersonDarling(new double[] {7, 7, 7}, new double[] {7, 7});
            assertThat(constant.pValue().getAsDouble()).isEqualTo(0.25);
            assertThat(constant.statistic()).isNegative();
        }

        @Test
        void mannWhitneyOfOneDistinctValue() {
            assertThat(NumericalTests.mannWhitneyU(new double[] {7, 7, 7}, new double[] {7, 7}))
                    .isEqualTo(StatResult.test(3.0, 1.0));
        }

        @Test
        void binnedDistancesOfConstantSamples() {
            double[] five = {5, 5, 5};
            double[] six = {6, 6};
            assertThat(BinnedDistances.totalVariation(five, six).statistic()).isEqualTo(1.0);
            assertThat(BinnedDistances.hellinger(five, six).statistic()).isEqualTo(1.0);
            assertThat(BinnedDistances.jensenShannon(five, six).statistic()).isCloseTo(Math.sqrt(Math.log(2)), within(1e-15));
            assertThat(BinnedDistances.psi(five, five.clone()).statistic()).isZero();
        }
    }

    @Nested
    class SampleSizeMinimums {

        @Test
        void cramerVonMisesNeedsTwoValuesEachSide() {
            assertThatThrownBy(() -> NumericalTests.cramerVonMises(new double[] {1}, SOME))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("reference sample has 1 value");
        }

        @Test
        void welchTNeedsTwoValuesEachSide() {
            assertThatThrownBy(() -> NumericalTests.welchT(SOME, new double[] {1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("current sample has 1 value");
        }

        @Test
        void andersonDarlingNeedsFourValuesInTotal() {
            assertThatThrownBy(() -> NumericalTests.andersonDarling(new double[] {1}, new double[] {2, 3}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4");
            assertThatThrownBy(() -> NumericalTests.andersonDarlingKSample(SOME))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 samples");
        }

        @Test
        void eppsSingletonNeedsFiveValuesEachSide() {
            assertThatThrownBy(() -> NumericalTests.eppsSingleton(SOME, new double[] {1, 2, 3, 4}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("current sample has 4 value(s): the Epps-Singleton test needs at least 5");
            assertThat(NumericalTests.eppsSingleton(SOME, new double[] {2, 3, 4, 5, 6.5}).pValue()).isPresent();
        }

        @Test
        void eppsSingletonRefusesAZeroInterquartileRange() {
            // 8 of 10 pooled values are 3: the middle half has no spread (Evidently's es refuses this too)
            double[] ref = {3, 3, 3, 3, 1};
            double[] cur = {3, 3, 3, 3, 9};
            assertThatThrownBy(() -> NumericalTests.eppsSingleton(ref, cur))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("interquartile range of the pooled samples is 0")
                    .hasMessageContaining("lie at 3.0");
        }

        @Test
        void eppsSingletonRefusesTwoConstantSamples() {
            double[] ref = {1, 1, 1, 1, 1};
            double[] cur = {2, 2, 2, 2, 2};
            assertThatThrownBy(() -> NumericalTests.eppsSingleton(ref, cur))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("both samples are constant");
        }

        @Test
        void singleValuesWorkWhereTheMathAllows() {
            assertThat(NumericalTests.kolmogorovSmirnov(new double[] {1}, new double[] {2}))
                    .isEqualTo(StatResult.test(1.0, 1.0));
            assertThat(NumericalTests.wasserstein(new double[] {1}, new double[] {3}).statistic()).isEqualTo(2.0);
        }
    }

    @Nested
    class Categories {

        @Test
        void unseenCategoryMakesChiSquareInfiniteWithPZero() {
            StatResult r = CategoricalTests.chiSquareGoodnessOfFit(new String[] {"a", "b"}, new String[] {"a", "c"});
            assertThat(r).isEqualTo(StatResult.test(Double.POSITIVE_INFINITY, 0.0));
            assertThat(DriftMethod.CHISQUARE.isDrift(r, 0.05)).isTrue();
        }

        @Test
        void unseenCategoryIsAFiniteDistanceAndAContingencyTest() {
            String[] ref = {"a", "a", "b", "b"};
            String[] cur = {"a", "b", "c", "c"};
            assertThat(BinnedDistances.totalVariation(ref, cur).statistic()).isCloseTo(0.5, within(1e-15));
            assertThat(BinnedDistances.psi(ref, cur).statistic()).isFinite().isPositive();
            assertThat(BinnedDistances.klDivergence(ref, cur).statistic()).isFinite().isPositive();
            assertThat(BinnedDistances.shares(ref, cur).labels()).containsExactly("a", "b", "c");
            assertThat(CategoricalTests.chiSquareIndependence(ref, cur).pValue()).isPresent();
        }

        @Test
        void aSingleCategoryShowsNoDrift() {
            String[] ref = {"x", "x", "x"};
            String[] cur = {"x"};
            for (DriftMethod m : DriftMethod.values()) {
                if (m.acceptsCategorical()) {
                    StatResult r = m.apply(ref, cur);
                    // the odds ratio has no value for one category (scipy: NaN); 1 is "no association"
                    assertThat(r.statistic()).as(m.id()).isEqualTo(m == DriftMethod.FISHER_EXACT ? 1.0 : 0.0);
                    r.pValue().ifPresent(p -> assertThat(p).as(m.id()).isEqualTo(1.0));
                }
            }
        }

        @Test
        void unseenCategoryMakesTheGTestInfiniteWithPZero() {
            StatResult r = CategoricalTests.gTest(new String[] {"a", "b", "b"}, new String[] {"a", "c"});
            assertThat(r).isEqualTo(StatResult.test(Double.POSITIVE_INFINITY, 0.0));
            assertThat(DriftMethod.G_TEST.isDrift(r, DriftMethod.G_TEST.defaultThreshold())).isTrue();
        }

        @Test
        void aCategoryAbsentFromTheCurrentDataAddsNothingToG() {
            // E = ref·3/4 = (0.75, 0.75, 1.5); O = (2, 1, 0): the c term is xlogy(0, 0) = 0
            StatResult r = CategoricalTests.gTest(new String[] {"a", "b", "c", "c"}, new String[] {"a", "a", "b"});
            double g = 2 * (2 * Math.log(2 / 0.75) + Math.log(1 / 0.75));
            assertThat(r.statistic()).isCloseTo(g, within(1e-14));
            assertThat(r.pValue().getAsDouble()).isCloseTo(Math.exp(-g / 2), within(1e-14)); // χ²₂ survival
        }

        @Test
        void fisherRefusesAThirdCategoryNamingThem() {
            assertThatThrownBy(() -> CategoricalTests.fisherExact(new String[] {"no", "yes"}, new String[] {"maybe", "no"}))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Fisher's exact test is for binary columns")
                    .hasMessageContaining("3 categories: 'maybe', 'no', 'yes'");
            assertThatThrownBy(() -> DriftMethod.FISHER_EXACT.apply(new double[] {0, 1}, new double[] {2, 1}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 distinct values");
        }

        @Test
        void fisherTableRowsAreReferenceAndCurrentColumnsTheSortedCategories() {
            // [[ref no, ref yes], [cur no, cur yes]] = [[3, 1], [1, 3]]: odds ratio 3·3/(1·1) = 9
            String[] ref = {"yes", "no", "no", "no"};
            String[] cur = {"yes", "yes", "no", "yes"};
            assertThat(CategoricalTests.fisherExact(ref, cur)).isEqualTo(CategoricalTests.fisherExact(3, 1, 1, 3));
            assertThat(CategoricalTests.fisherExact(ref, cur).statistic()).isEqualTo(9.0);
            // numbers: the smaller value is the first category
            assertThat(DriftMethod.FISHER_EXACT.apply(new double[] {10, 9, 9, 9}, new double[] {10, 10, 9, 10}))
                    .isEqualTo(CategoricalTests.fisherExact(3, 1, 1, 3));
            assertThat(CategoricalTests.fisherExact(0, 5, 5, 0).statistic()).isZero();
            assertThat(CategoricalTests.fisherExact(4, 0, 0, 4).statistic()).isInfinite();
        }

        @Test
        void fisherRefusesNegativeCountsAndTablesBeyondIntRange() {
            assertThatThrownBy(() -> CategoricalTests.fisherExact(-1, 2, 3, 4))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[[-1, 2], [3, 4]]");
            assertThatThrownBy(() -> CategoricalTests.fisherExact(Integer.MAX_VALUE, 1, 1, 1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 2147483647 counts");
        }

        @Test
        void zTestCountsTheGreatestCategoryAsSuccessAndRejectsThreeCategories() {
            StatResult r = CategoricalTests.twoProportionZ(new String[] {"no", "no", "yes"}, new String[] {"yes", "yes", "no"});
            assertThat(r.statistic()).isNegative(); // share of "yes" grew
            assertThat(r).isEqualTo(CategoricalTests.twoProportionZ(1, 3, 2, 3));
            assertThatThrownBy(() -> CategoricalTests.twoProportionZ(new String[] {"a", "b"}, new String[] {"c"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3 categories");
        }

        @Test
        void zTestOnNumbersCountsTheLargerValue() {
            StatResult r = DriftMethod.Z.apply(new double[] {9, 9, 10}, new double[] {10, 10, 9});
            assertThat(r).isEqualTo(CategoricalTests.twoProportionZ(1, 3, 2, 3));
        }

        @Test
        void yatesCorrectionOnlyForTwoByTwo() {
            String[] ref = {"a", "a", "a", "b", "c"};
            String[] cur = {"a", "b", "b", "c", "c"};
            assertThat(CategoricalTests.chiSquareIndependence(ref, cur, true))
                    .isEqualTo(CategoricalTests.chiSquareIndependence(ref, cur, false));
            String[] ref2 = {"a", "a", "a", "b"};
            String[] cur2 = {"a", "b", "b", "b"};
            assertThat(CategoricalTests.chiSquareIndependence(ref2, cur2, true).statistic())
                    .isLessThan(CategoricalTests.chiSquareIndependence(ref2, cur2, false).statistic());
        }
    }

    @Nested
    class Methods {

        @Test
        void idsAreTheCliNames() {
            assertThat(Arrays.stream(DriftMethod.values()).map(DriftMethod::id)).containsExactly("ks", "cvm", "anderson",
                    "mann_whitney", "t_test", "es", "wasserstein", "wasserstein_norm", "energy", "psi", "kl_div",
                    "jensenshannon", "hellinger", "tvd", "chisquare", "chi2_contingency", "z", "fisher_exact", "g_test");
            for (DriftMethod m : DriftMethod.values()) {
                assertThat(DriftMethod.parse(m.id())).isSameAs(m);
            }
        }

        @Test
        void unknownNameListsTheValidOnes() {
            assertThat(DriftMethod.byId("kolmogorov")).isEmpty();
            assertThatThrownBy(() -> DriftMethod.parse("kolmogorov")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'kolmogorov'").hasMessageContaining("ks, cvm, anderson");
        }

        @Test
        void columnTypesKindsAndEvidentlyThresholds() {
            assertThat(DriftMethod.KS.acceptsCategorical()).isFalse();
            assertThatThrownBy(() -> DriftMethod.KS.apply(new String[] {"a"}, new String[] {"a"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ks does not accept categorical");
            assertThat(DriftMethod.PSI.acceptsNumerical()).isTrue();
            assertThat(DriftMethod.PSI.acceptsCategorical()).isTrue();
            assertThat(DriftMethod.CHISQUARE.acceptsNumerical()).isTrue();
            assertThat(DriftMethod.KS.defaultThreshold()).isEqualTo(0.05);
            assertThat(DriftMethod.ANDERSON.defaultThreshold()).isEqualTo(0.1);
            assertThat(DriftMethod.CVM.defaultThreshold()).isEqualTo(0.1);
            assertThat(DriftMethod.WASSERSTEIN_NORM.defaultThreshold()).isEqualTo(0.1);
            assertThat(DriftMethod.JENSENSHANNON.defaultThreshold()).isEqualTo(0.1);
            // Evidently: es 0.05 for numerical columns; fisher_exact and g_test 0.1 (both p-values)
            assertThat(DriftMethod.EPPS_SINGLETON.acceptsCategorical()).isFalse();
            assertThatThrownBy(() -> DriftMethod.EPPS_SINGLETON.apply(new String[] {"a"}, new String[] {"a"}))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("es does not accept categorical");
            assertThat(DriftMethod.EPPS_SINGLETON.acceptsInfinity()).isFalse();
            assertThat(DriftMethod.FISHER_EXACT.acceptsCategorical()).isTrue();
            assertThat(DriftMethod.G_TEST.acceptsCategorical()).isTrue();
            for (DriftMethod m : List.of(DriftMethod.EPPS_SINGLETON, DriftMethod.FISHER_EXACT, DriftMethod.G_TEST)) {
                assertThat(m.yieldsPValue()).as(m.id()).isTrue();
            }
            assertThat(DriftMethod.EPPS_SINGLETON.defaultThreshold()).isEqualTo(0.05);
            for (DriftMethod m : DriftMethod.values()) {
                boolean pointOne = m == DriftMethod.ANDERSON || m == DriftMethod.CVM || m == DriftMethod.FISHER_EXACT
                        || m == DriftMethod.G_TEST;
                assertThat(m.defaultThreshold()).as(m.id()).isEqualTo(m.yieldsPValue() && !pointOne ? 0.05 : 0.1);
            }
        }

        @Test
        void verdictRules() {
            StatResult test = StatResult.test(2.0, 0.05);
            assertThat(DriftMethod.KS.isDrift(test, 0.05)).isFalse();
            assertThat(DriftMethod.KS.isDrift(test, 0.050001)).isTrue();
            StatResult distance = StatResult.distance(0.1);
            assertThat(DriftMethod.PSI.isDrift(distance, 0.1)).isTrue();
            assertThat(DriftMethod.PSI.isDrift(distance, 0.1000001)).isFalse();
            assertThatThrownBy(() -> DriftMethod.KS.score(distance)).isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void resultRejectsNanAndOutOfRangePValues() {
            assertThatThrownBy(() -> StatResult.test(Double.NaN, 0.5)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new StatResult(1.0, OptionalDouble.of(1.5))).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Nested
    class ExactAndAsymptoticSwitches {

        @Test
        void ksIsExactUpToTenThousandAndAsymptoticBeyond() {
            // exact for 10,000 vs 1: D = 1 - rank share; asymptotic for 10,001 vs 1 uses kstwo with n = 1
            double[] big = new double[10_000];
            Arrays.setAll(big, i -> i);
            StatResult exact = NumericalTests.kolmogorovSmirnov(big, new double[] {-1});
            assertThat(exact.statistic()).isEqualTo(1.0);
            assertThat(exact.pValue().getAsDouble()).isCloseTo(2.0 / 10_001, within(1e-15));
            double[] bigger = Arrays.copyOf(big, 10_001);
            bigger[10_000] = 10_000;
            StatResult asymptotic = NumericalTests.kolmogorovSmirnov(bigger, new double[] {-1});
            assertThat(asymptotic.pValue().getAsDouble()).isEqualTo(0.0); // kstwo(n = 1).sf(1) = 0
        }

        @Test
        void mannWhitneyIsExactOnlyForASmallSampleWithoutTies() {
            // n = 3 vs 3, complete separation, no ties: exact p = 2 / C(6, 3) = 0.1
            StatResult exact = NumericalTests.mannWhitneyU(new double[] {1, 2, 3}, new double[] {4, 5, 6});
            assertThat(exact.pValue().getAsDouble()).isCloseTo(0.1, within(1e-15));
            // a tie switches to the normal approximation with continuity correction
            StatResult tied = NumericalTests.mannWhitneyU(new double[] {1, 2, 4}, new double[] {4, 5, 6});
            assertThat(tied.pValue().getAsDouble()).isNotCloseTo(0.1, within(1e-3));
        }

        @Test
        void cramerVonMisesIsExactUpToTwenty() {
            // complete separation of 2 vs 2: exact p = 2 / C(4, 2)
            StatResult r = NumericalTests.cramerVonMises(new double[] {1, 2}, new double[] {3, 4});
            assertThat(r.pValue().getAsDouble()).isCloseTo(1.0 / 3, within(1e-15));
        }
    }
}

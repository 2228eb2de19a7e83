package io.antidote.playbook;

/**
 * Gives a regular expression a fixed number of character reads, so that a playbook's pattern that
 * backtracks catastrophically on hostile host output fails the check instead of hanging a worker.
 */
final class BoundedCharSequence implements CharSequence {

    static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super("regular expression match exceeded its budget", null, false, false);
        }
    }

    private static final class Budget {
        long left;

        Budget(long left) {
            this.left = left;
        }
    }

    private final CharSequence text;
    private final Budget budget;

    BoundedCharSequence(CharSequence text, long reads) {
        this(text, new Budget(reads));
    }

    private BoundedCharSequence(CharSequence text, Budget budget) {
        this.text = text;
        this.budget = budget;
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public char charAt(int index) {
        if (--budget.left < 0) {
            throw new BudgetExceeded();
        }
        return text.charAt(index);
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return new BoundedCharSequence(text.subSequence(start, end), budget);
    }

    @Override
    public String toString() {
        return text.toString();
    }
}

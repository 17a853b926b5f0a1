/// Stop-word lists.
public enum StopWords {
    /// Lucene's English stop words (`EnglishAnalyzer.ENGLISH_STOP_WORDS_SET`): few enough that
    /// phrases like "to be or not to be" keep most of their words.
    public static let english: Set<String> = [
        "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "if", "in", "into", "is", "it", "no", "not",
        "of",
        "on", "or", "such", "that", "the", "their", "then", "there", "these", "they", "this", "to", "was", "will",
        "with",
    ]
}

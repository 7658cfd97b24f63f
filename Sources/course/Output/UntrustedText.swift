extension String {
    /// Text a learner or their program wrote, safe to print on a terminal: control
    /// characters (escape sequences that move the cursor or change colours) become `?`;
    /// those in `kept` (a tab, say) stay.
    func controlCharactersReplaced(keeping kept: Set<Unicode.Scalar> = []) -> String {
        String(unicodeScalars.map { $0.properties.generalCategory == .control && !kept.contains($0) ? "?" : Character($0) })
    }
}

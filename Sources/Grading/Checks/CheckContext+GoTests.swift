import CourseEngine
import Foundation

extension CheckContext {
    /// The bench that runs the learner's Go tests against `plan`'s correct package and
    /// mutants, started by the first check that asks and shared by every check of this
    /// grading run (each test binary is built once). The plan of the first call is the one
    /// used.
    public func goTests(_ plan: @autoclosure () -> GoTestPlan) throws -> GoTestBench {
        guard let run else { throw CourseError("this check runs the learner's Go tests, which needs a submission folder") }
        let bench = run.goTestBench { GoTestBench(run: run, plan: plan()) }
        bench.begin()
        return bench
    }
}

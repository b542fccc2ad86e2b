-- AlterEnum: a customer's cancellation closes a pending review
ALTER TYPE "ReviewDecision" ADD VALUE 'CANCELLED';
